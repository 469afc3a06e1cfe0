from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseCategory(models.TextChoices):
    """Course category (課程類別) in the 108 curriculum."""

    NATIONAL_REQUIRED = "national_required", _("部定必修")
    SCHOOL_REQUIRED = "school_required", _("校訂必修")
    SCHOOL_ELECTIVE = "school_elective", _("校訂選修")
    MULTIPLE_ELECTIVE = "multiple_elective", _("多元選修")
    PROJECT_PRACTICE = "project_practice", _("專題實作及實習")
    FLEXIBLE = "flexible", _("彈性學習")


class PlanState(models.TextChoices):
    """Where a course plan (課程計畫) is: the school drafts and submits, the central admin publishes."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已送審")
    PUBLISHED = "published", _("已公告")


class GradeKind(models.TextChoices):
    """The three grades a course record can carry (R6)."""

    ORIGINAL = "original_grade", _("原始成績")
    MAKEUP = "makeup_grade", _("補考成績")
    RETAKE = "retake_grade", _("重補修成績")


class ImportKind(models.TextChoices):
    """What a bulk import file (匯入檔) holds."""

    STUDENTS = "students", _("學生基本資料與編班")
    COURSES = "courses", _("課程計畫與課程")
    RECORDS = "records", _("修課紀錄與成績")
    CADRES = "cadres", _("幹部經歷")


class ImportState(models.TextChoices):
    """An import batch: checked, then applied only when the administrator confirms."""

    VALIDATING = "validating", _("檢查中")
    INVALID = "invalid", _("有錯誤")
    READY = "ready", _("待確認")
    APPLYING = "applying", _("寫入中")
    APPLIED = "applied", _("已匯入")
    FAILED = "failed", _("失敗")
