"""Choices of the admission platform (招生報名平臺) and department review (校系審查).

Labels read in the reader's language; what is kept (an application's snapshot, the default
title of an upload, the items a department spreadsheet names) takes them in zh-Hant
(``licheng.lib.i18n.in_source_language``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    """Admission channels (招生管道) whose caps R28 sets."""

    UNIVERSITY_APPLICATION = "university_application", _("大學個人申請入學")
    TECH_SELECTION = "tech_selection", _("四技二專甄選入學")
    TECH_SKILLS = "tech_skills", _("四技二專技優甄審")
    TECH_APPLICATION = "tech_application", _("四技申請入學")


class ItemKind(models.TextChoices):
    """What one item of an application is (R27, R29)."""

    OUTCOME = "outcome", _("課程學習成果")
    PROJECT_OUTCOME = "project_outcome", _("專題實作及實習成果")
    PERFORMANCE = "performance", _("多元表現")
    D1_IMAGE = "d1_image", _("多元表現綜整心得圖片")
    FORM_A = "form_a", _("自我推薦摘要表（表A）")
    FORM_B = "form_b", _("課程學習成果工作內容與貢獻度表（表B）")
    OTHER_DOCUMENT = "other_document", _("其他佐證資料")
    SELF_PORTFOLIO = "self_portfolio", _("自行上傳之學習歷程資料")

    @classmethod
    def from_portfolio(cls) -> frozenset["ItemKind"]:
        """Kinds picked from the central repository (counted against the caps, R28)."""
        return frozenset({cls.OUTCOME, cls.PROJECT_OUTCOME, cls.PERFORMANCE})

    @classmethod
    def uploads(cls) -> frozenset["ItemKind"]:
        """Kinds the applicant uploads on the admission platform (R29, R39)."""
        return frozenset(
            {cls.D1_IMAGE, cls.FORM_A, cls.FORM_B, cls.OTHER_DOCUMENT, cls.SELF_PORTFOLIO}
        )


class ItemOrigin(models.TextChoices):
    """Where an item came from; reviewers see it on every item (R39)."""

    CENTRAL = "central", _("中央資料庫（已認證）")
    UPLOADED = "uploaded", _("考生自行上傳（未經認證）")


class RequiredItem(models.TextChoices):
    """What a department may make required (R28: required or optional items)."""

    OUTCOMES = "outcomes", _("課程學習成果")
    PROJECT_OUTCOMES = "project_outcomes", _("專題實作及實習成果")
    PERFORMANCES = "performances", _("多元表現")
    D1 = "d1", _("多元表現綜整心得")
    D2 = "d2", _("學習歷程自述")
    FORM_A = "form_a", _("自我推薦摘要表（表A）")
    FORM_B = "form_b", _("課程學習成果工作內容與貢獻度表（表B）")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("編輯中")
    SUBMITTED = "submitted", _("已確認送出")


class WeightPart(models.TextChoices):
    """Parts of the stage-two score (第二階段成績比例, R30)."""

    UNIFIED_EXAM = "unified_exam", _("統一入學測驗")
    PROJECT_REVIEW = "project_review", _("專題實作及實習成果審查")
    PORTFOLIO_REVIEW = "portfolio_review", _("學習歷程資料審查")
    PRACTICAL = "practical", _("實作測驗")
    WRITTEN = "written", _("筆試")
    INTERVIEW = "interview", _("面試")


class SubjectKind(models.TextChoices):
    """Unified-exam subject kinds (統測科目)."""

    COMMON = "common", _("共同科目")
    PROFESSIONAL = "professional", _("專業科目")
