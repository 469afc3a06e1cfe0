from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    """State of a submission to the central repository (提交作業狀態)."""

    QUEUED = "queued", _("排隊中")
    BUILDING = "building", _("建立封包中")
    SENDING = "sending", _("傳送中")
    DONE = "done", _("中央資料庫已收件")
    FAILED = "failed", _("失敗")


class SubmissionKind(models.TextChoices):
    """What the school submits (提交類別): the exchange format's package kinds."""

    SEMESTER = "semester", _("學期資料（基本資料、修課紀錄）")
    ANNUAL = "annual", _("學年勾選項目")
    TRANSFER = "transfer", _("轉學資料")


class ReceiveState(models.TextChoices):
    """State of a transfer in received in the background (轉入作業狀態, R38)."""

    QUEUED = "queued", _("排隊中")
    CHECKING = "checking", _("核對檔案中")
    RECEIVING = "receiving", _("匯入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("無法轉入")
