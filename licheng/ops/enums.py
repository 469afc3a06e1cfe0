from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupStatus(models.TextChoices):
    """State of one backup run (備份狀態)."""

    QUEUED = "queued", _("排程中")
    RUNNING = "running", _("備份中")
    VERIFIED = "verified", _("已驗證")
    FAILED = "failed", _("失敗")


class BackupKind(models.TextChoices):
    """Who asked for the backup (備份來源)."""

    SCHEDULED = "scheduled", _("每日排程")
    MANUAL = "manual", _("手動")
