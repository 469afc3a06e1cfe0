from django.db import models


class JobState(models.TextChoices):
    """State of a submission to the central repository (提交作業狀態)."""

    QUEUED = "queued", "排隊中"
    BUILDING = "building", "建立封包中"
    SENDING = "sending", "傳送中"
    DONE = "done", "中央資料庫已收件"
    FAILED = "failed", "失敗"


class SubmissionKind(models.TextChoices):
    """What the school submits (提交類別): the exchange format's package kinds."""

    SEMESTER = "semester", "學期資料（基本資料、修課紀錄）"
    ANNUAL = "annual", "學年勾選項目"
    TRANSFER = "transfer", "轉學資料"


class ReceiveState(models.TextChoices):
    """State of a transfer in received in the background (轉入作業狀態, R38)."""

    QUEUED = "queued", "排隊中"
    CHECKING = "checking", "核對檔案中"
    RECEIVING = "receiving", "匯入中"
    DONE = "done", "已完成"
    FAILED = "failed", "無法轉入"
