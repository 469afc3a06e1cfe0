from django.db import models


class BackupStatus(models.TextChoices):
    """State of one backup run (備份狀態)."""

    QUEUED = "queued", "排程中"
    RUNNING = "running", "備份中"
    VERIFIED = "verified", "已驗證"
    FAILED = "failed", "失敗"


class BackupKind(models.TextChoices):
    """Who asked for the backup (備份來源)."""

    SCHEDULED = "scheduled", "每日排程"
    MANUAL = "manual", "手動"
