from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles (角色) of DOMAIN §1. School roles are held within one school.

    The labels are shown in the reader's language; only the values are stored or compared."""

    STUDENT = "student", _("學生")
    TEACHER = "teacher", _("任課教師")
    COUNSELOR = "counselor", _("課程諮詢教師")
    HOMEROOM = "homeroom", _("導師")
    SCHOOL_ADMIN = "school_admin", _("學校行政人員")
    PARENT = "parent", _("家長/監護人")
    ORGANIZER = "organizer", _("競賽/檢定主辦機構")
    CENTRAL_ADMIN = "central_admin", _("中央資料庫管理者")
    COMMITTEE = "committee", _("招生委員會")
    REVIEWER = "reviewer", _("校系審查委員")

    @property
    def is_school_role(self) -> bool:
        return self in SCHOOL_ROLES


SCHOOL_ROLES = frozenset(
    {Role.STUDENT, Role.TEACHER, Role.COUNSELOR, Role.HOMEROOM, Role.SCHOOL_ADMIN}
)


class RelationKind(models.TextChoices):
    """What the parent is in law (身分別, seed 004): legal representative or guardian."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代理人")
    GUARDIAN = "guardian", _("監護人")


class Relation(models.TextChoices):
    """The parent's relation to the child (與學生關係, R33, seed 004 step 2)."""

    FATHER = "father", _("父親")
    MOTHER = "mother", _("母親")
    GRANDFATHER = "grandfather", _("祖父")
    GRANDMOTHER = "grandmother", _("祖母")
    MATERNAL_GRANDFATHER = "maternal_grandfather", _("外祖父")
    MATERNAL_GRANDMOTHER = "maternal_grandmother", _("外祖母")
    OTHER = "other", _("其他")

    @property
    def kind(self) -> RelationKind:
        # Seed 004: a legal representative is a father or mother; everyone else is a guardian.
        if self in (Relation.FATHER, Relation.MOTHER):
            return RelationKind.LEGAL_REPRESENTATIVE
        return RelationKind.GUARDIAN


RELATIONS_BY_KIND = {
    RelationKind.LEGAL_REPRESENTATIVE: [Relation.FATHER, Relation.MOTHER],
    RelationKind.GUARDIAN: [
        Relation.GRANDFATHER,
        Relation.GRANDMOTHER,
        Relation.MATERNAL_GRANDFATHER,
        Relation.MATERNAL_GRANDMOTHER,
        Relation.OTHER,
    ],
}


class SchoolLevel(models.TextChoices):
    """The child's school level (學層). The platform serves upper-secondary schools only."""

    SENIOR_HIGH = "senior_high", _("高中")
    VOCATIONAL = "vocational", _("高職")


class BindingStatus(models.TextChoices):
    """State of a parent–child binding application (親子綁定申請狀態)."""

    PENDING = "pending", _("待導師審核")
    APPROVED = "approved", _("已綁定")
    REFUSED = "refused", _("未通過")
    CANCELLED = "cancelled", _("已取消")
