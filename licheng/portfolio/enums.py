from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeState(models.TextChoices):
    """State of a course learning outcome (課程學習成果狀態), R13."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待認證")
    CERTIFIED = "certified", _("已認證")
    RETURNED = "returned", _("退回修改")


class ReturnReason(models.TextChoices):
    """The only reasons a teacher may return an outcome (退回原因, R13): never grade or quality."""

    NOT_THIS_COURSE = "not_this_course", _("非本課程產出")
    NOT_OWN_WORK = "not_own_work", _("非學生本人作品")
    UNREADABLE = "unreadable", _("檔案無法開啟或閱讀")
    OTHER = "other", _("其他（須說明）")


class PerformanceCategory(models.TextChoices):
    """Category of a diverse performance (多元表現類別), R15."""

    CADRE = "cadre", _("幹部經歷")
    COMPETITION = "competition", _("競賽參與")
    CERTIFICATE = "certificate", _("檢定證照")
    VOLUNTEER = "volunteer", _("志工服務")
    SELF_DIRECTED = "self_directed", _("彈性學習時間（自主學習）")
    GROUP_ACTIVITY = "group_activity", _("團體活動")
    WORK = "work", _("作品成果")
    WORKPLACE = "workplace", _("職場學習")
    ADVANCED_COURSE = "advanced_course", _("大學及技專校院先修課程")
    OTHER = "other", _("其他活動")


class PerformanceState(models.TextChoices):
    """State of a diverse performance (多元表現狀態): no certification, only draft or uploaded."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上傳")


class PerformanceSource(models.TextChoices):
    """Who registered a performance (登錄來源); only the student's own count toward R18 (R19).

    A performance brought from the previous school (R38) is marked 轉學帶入: the exchange format
    does not say who registered it there, and it was not uploaded here, so it counts toward no
    quota of this school.
    """

    STUDENT = "student", _("學生上傳")
    SCHOOL = "school", _("學校登錄")
    ORGANIZER = "organizer", _("主辦機構匯入")
    TRANSFER = "transfer", _("轉學帶入")


class KeptReason(models.TextChoices):
    """Why a file left its item and is kept as history (舊版檔案保存原因)."""

    REPLACED = "replaced", _("已換檔")
    ITEM_DELETED = "item_deleted", _("項目已刪除")


class KeptItemKind(models.TextChoices):
    """What a kept file belonged to (原屬項目); admission uploads are the admissions app's."""

    OUTCOME = "outcome", _("課程學習成果")
    PERFORMANCE = "performance", _("多元表現")
    APPLICATION_UPLOAD = "application_upload", _("申請資料上傳檔")
