from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageKind(models.TextChoices):
    """Kind of exchange package (交換封包類別)."""

    SEMESTER = "semester", _("學期資料（基本資料、修課紀錄）")
    ANNUAL = "annual", _("學年勾選項目")
    TRANSFER = "transfer", _("轉學資料")


class ItemType(models.TextChoices):
    """What a central item is (項目類別)."""

    COURSE_OUTCOME = "course_outcome", _("課程學習成果")
    PERFORMANCE = "performance", _("多元表現")


class ReceiptLineStatus(models.TextChoices):
    """What the receipt says happened to one student's record (收訖結果)."""

    NEW = "new", _("新收")
    CORRECTED = "corrected", _("更正（新版本）")
    UNCHANGED = "unchanged", _("內容相同，未變更")


class AckStatus(models.TextChoices):
    """A student's answer to a receipt (收訖確認, R36)."""

    PENDING = "pending", _("待確認")
    CONFIRMED = "confirmed", _("已確認無誤")
    REPORTED = "reported", _("已回報問題")
    RESOLVED = "resolved", _("學校已處理")
