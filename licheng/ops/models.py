from django.db import models

from .enums import BackupKind, BackupStatus


class BackupRun(models.Model):
    """One backup run (備份紀錄): a generation written, then restored into a scratch database and
    verified. Only a verified run counts as a backup on the dashboard."""

    kind = models.CharField("來源", max_length=16, choices=BackupKind.choices)
    status = models.CharField(
        "狀態", max_length=16, choices=BackupStatus.choices, default=BackupStatus.QUEUED
    )
    # The nightly schedule's day (Asia/Taipei); unique so two schedulers cannot both queue it.
    scheduled_for = models.DateField("排程日期", null=True, blank=True, unique=True)
    generation = models.CharField("備份世代", max_length=64, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    started_at = models.DateTimeField("開始時間", null=True, blank=True)
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)
    verified_at = models.DateTimeField("驗證時間", null=True, blank=True)
    file_count = models.PositiveIntegerField("檔案數", default=0)
    total_bytes = models.PositiveBigIntegerField("檔案總大小", default=0)
    row_count = models.PositiveBigIntegerField("資料筆數", default=0)
    message = models.TextField("說明", blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-verified_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.generation or self.pk}"


class DailyRun(models.Model):
    """One daily job queued for one day (每日排程): reminders, certification reminders, sealing.

    Several schedulers may run (one per app machine); the unique (job, day) pair lets exactly one
    of them queue each job each day.
    """

    job = models.CharField(max_length=60)
    day = models.DateField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="ops_dailyrun_once_a_day"),
        ]
        ordering = ["-day", "job"]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
