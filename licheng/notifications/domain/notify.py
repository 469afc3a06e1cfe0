"""Creating notifications (建立通知): at most one per kind, event and person.

``notify`` is what other areas call (web views and the API directly; data apps through
``licheng.lib.events.request_notification``). The e-mail goes out from a background task queued
when the transaction commits, so a rolled-back change never e-mails anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record

from ..enums import Channel, NotificationKind
from ..models import Notification, NotificationPreference


def notify(
    kind: str, event_key: str, recipient: Any, *, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """Notify one person of one event; returns the new notification, or None if they already
    had one for this (kind, event) — calling twice for the same event is harmless."""
    created = notify_many(kind, event_key, [recipient], title=title, body=body, url=url)
    return created[0] if created else None


@transaction.atomic
def notify_many(
    kind: str,
    event_key: str,
    recipients: Iterable[Any],
    *,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Notify many people of one event in a few queries (a whole school for a reminder)."""
    kind = NotificationKind(kind)
    wanted = {r.pk for r in recipients if r is not None and r.is_active}
    if not wanted:
        return []
    already = set(
        Notification.objects.filter(
            kind=kind, event_key=event_key, recipient_id__in=wanted
        ).values_list("recipient_id", flat=True)
    )
    new_ids = sorted(wanted - already)
    # ignore_conflicts: a concurrent run that got there first simply wins; nobody gets two.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                event_key=event_key,
                title=title[:200],
                body=body,
                url=url[:300],
            )
            for pk in new_ids
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    created = list(
        Notification.objects.filter(kind=kind, event_key=event_key, recipient_id__in=new_ids)
    )
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _enqueue_delivery(ids))
    return created


def _enqueue_delivery(ids: list[int]) -> None:
    from ..tasks import deliver_notifications

    # Batches keep each task short and its argument list small.
    for start in range(0, len(ids), 200):
        deliver_notifications.enqueue(ids[start : start + 200])


def channel_for(user: Any, kind: str) -> Channel:
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return Channel(chosen) if chosen else Channel.EMAIL


def preferences_of(user: Any) -> dict[str, Channel]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: Channel(chosen.get(kind, Channel.EMAIL)) for kind in NotificationKind.values}


@transaction.atomic
def set_preferences(user: Any, choices: dict[str, str]) -> None:
    """Choose e-mail or in-app only per kind (通知設定)."""
    before = preferences_of(user)
    after: dict[str, str] = {}
    for kind, channel in choices.items():
        kind_value, channel_value = NotificationKind(kind), Channel(channel)
        if before[kind_value] != channel_value:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind_value, defaults={"channel": channel_value}
            )
            after[kind_value] = channel_value
    if after:
        record(
            "notifications.preferences",
            actor=user,
            obj=user,
            before={k: before[k] for k in after},
            after=after,
        )


def mark_read(notification: Notification) -> None:
    """Mark one notification read (已讀). Not audited: it changes nothing anyone else sees."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()
