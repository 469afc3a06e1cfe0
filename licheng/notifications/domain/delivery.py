"""Delivering notifications by e-mail (寄送通知信), safely repeatable.

A task may run twice (a worker restarts, a queue re-delivers): each notification is locked and
marked as e-mailed in the same transaction that sends it, so a second run finds nothing to send.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..enums import Channel
from ..models import Notification
from .notify import channel_for


def deliver(notification_ids: list[int]) -> int:
    """E-mail the given notifications to those who want e-mail; returns how many were sent."""
    sent = 0
    for pk in notification_ids:
        if _deliver_one(pk):
            sent += 1
    return sent


@transaction.atomic
def _deliver_one(pk: int) -> bool:
    notification = (
        Notification.objects.select_for_update().select_related("recipient").filter(pk=pk).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.email or channel_for(recipient, notification.kind) != Channel.EMAIL:
        return False
    link = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
    body = "\n\n".join(p for p in (notification.body, link) if p)
    send_mail(
        f"【歷程平臺】{notification.title}",
        body or notification.title,
        None,
        [recipient.email],
        fail_silently=False,
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True
