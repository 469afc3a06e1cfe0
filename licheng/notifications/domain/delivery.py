"""Delivering notifications by e-mail (寄送通知信), safely repeatable.

A task may run twice (a worker restarts, a queue re-delivers): the batch's notifications are
locked and marked as e-mailed in the same transaction that sends them, so a second run finds
nothing to send. A batch is one transaction, one preferences query and one SMTP connection.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from ..enums import Channel
from ..models import Notification, NotificationPreference


@transaction.atomic
def deliver(notification_ids: list[int]) -> int:
    """E-mail the given notifications to those who want e-mail; returns how many were sent."""
    pending = list(
        Notification.objects.select_for_update()
        .select_related("recipient")
        .filter(pk__in=notification_ids, emailed_at=None)
        .exclude(recipient__email="")
        .order_by("pk")
    )
    if not pending:
        return 0
    in_app_only = set(
        NotificationPreference.objects.filter(
            user_id__in={n.recipient_id for n in pending}, channel=Channel.IN_APP
        ).values_list("user_id", "kind")
    )
    wanted = [n for n in pending if (n.recipient_id, n.kind) not in in_app_only]
    if not wanted:
        return 0
    site = settings.SITE_URL.rstrip("/")
    messages = [
        EmailMessage(
            f"【歷程平臺】{n.title}",
            "\n\n".join(p for p in (n.body, site + n.url if n.url else "") if p) or n.title,
            None,
            [n.recipient.email],
        )
        for n in wanted
    ]
    with get_connection(fail_silently=False) as connection:
        connection.send_messages(messages)
    Notification.objects.filter(pk__in=[n.pk for n in wanted]).update(emailed_at=timezone.now())
    return len(wanted)
