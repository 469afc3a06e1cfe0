from django.db import models


class Role(models.TextChoices):
    """Roles (角色) of DOMAIN §1. School roles are held within one school."""

    STUDENT = "student", "學生"
    TEACHER = "teacher", "任課教師"
    COUNSELOR = "counselor", "課程諮詢教師"
    HOMEROOM = "homeroom", "導師"
    SCHOOL_ADMIN = "school_admin", "學校行政人員"
    PARENT = "parent", "家長/監護人"
    ORGANIZER = "organizer", "競賽/檢定主辦機構"
    CENTRAL_ADMIN = "central_admin", "中央資料庫管理者"
    COMMITTEE = "committee", "招生委員會"
    REVIEWER = "reviewer", "校系審查委員"

    @property
    def is_school_role(self) -> bool:
        return self in SCHOOL_ROLES


SCHOOL_ROLES = frozenset(
    {Role.STUDENT, Role.TEACHER, Role.COUNSELOR, Role.HOMEROOM, Role.SCHOOL_ADMIN}
)
