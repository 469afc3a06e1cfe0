from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolType(models.TextChoices):
    """School type (學校類型)."""

    GENERAL = "general", "普通型高級中等學校"
    TECHNICAL = "technical", "技術型高級中等學校"
    COMPREHENSIVE = "comprehensive", "綜合型高級中等學校"
    SPECIALIZED = "specialized", "單科型高級中等學校"


class StudentStatus(models.TextChoices):
    """Registration status (學籍狀態)."""

    ENROLLED = "enrolled", _("在學")
    SUSPENDED = "suspended", _("休學")
    TRANSFERRED_OUT = "transferred_out", _("轉出")
    GRADUATED = "graduated", _("畢業")
    WITHDRAWN = "withdrawn", _("退學")


class WindowKind(models.TextChoices):
    """The school's windows (作業期程): when each kind of work is open."""

    OUTCOME_UPLOAD = "outcome_upload", _("課程學習成果上傳")
    CERTIFICATION = "certification", _("課程學習成果認證")
    PERFORMANCE_UPLOAD = "performance_upload", _("多元表現上傳")
    SELECTION = "selection", _("勾選提交中央資料庫")
    SUBMISSION = "submission", _("學校提交中央資料庫")

    @property
    def per_semester(self) -> bool:
        return self in (WindowKind.OUTCOME_UPLOAD, WindowKind.CERTIFICATION)


class CadreLevel(models.TextChoices):
    """Level of a cadre post (幹部層級, R2)."""

    SCHOOL = "school", _("校級")
    CLASS = "class", _("班級")
    CLUB = "club", _("社團")


class CorrectionState(models.TextChoices):
    """A student's request to correct basic data (基本資料更正申請)."""

    PENDING = "pending", _("待處理")
    ACCEPTED = "accepted", _("已更正")
    REFUSED = "refused", _("不予更正")


class RewardKind(models.TextChoices):
    """Rewards and punishments (獎懲, R3), in the order schools list them."""

    COMMENDATION = "commendation", _("嘉獎")
    MINOR_MERIT = "minor_merit", _("小功")
    MAJOR_MERIT = "major_merit", _("大功")
    WARNING = "warning", _("警告")
    MINOR_DEMERIT = "minor_demerit", _("小過")
    MAJOR_DEMERIT = "major_demerit", _("大過")
