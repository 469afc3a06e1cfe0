from django.conf import settings
from django.db import models

from .enums import Channel, NotificationKind


class Notification(models.Model):
    """A notification (通知) to one person about one event; never sent twice for the same event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("類別", max_length=30, choices=NotificationKind.choices)
    # What happened, stable across runs: "window:313301:outcome_upload:114:1:closing:2026-02-15".
    event_key = models.CharField("事件", max_length=200)
    title = models.CharField("標題", max_length=200)
    body = models.TextField("內容", blank=True)
    url = models.CharField("連結", max_length=300, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    read_at = models.DateTimeField("已讀時間", null=True, blank=True)
    emailed_at = models.DateTimeField("寄出時間", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event_key", "recipient"], name="notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A person's choice of channel (通知設定) for one kind; without a row, e-mail is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("類別", max_length=30, choices=NotificationKind.choices)
    channel = models.CharField("通知方式", max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}：{self.get_channel_display()}"


class CalendarFeed(models.Model):
    """A person's secret calendar feed (行事曆訂閱) URL; only the token's hash is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} 行事曆訂閱"
