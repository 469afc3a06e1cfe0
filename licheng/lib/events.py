"""Notification requests (通知事件) that any data app may raise.

The notifications app sits above every data app in the import order, so a data app (accounts,
portfolio, central …) cannot call ``notifications.domain.notify`` itself. It sends this signal
instead, inside its own transaction; the notifications app listens (``notifications/apps.py``)
and creates the notifications in that same transaction, so they exist exactly when the change does.
Web views and the API, which sit above notifications, may call ``notify`` directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

# Kinds of notification (通知類別); the notifications app gives them labels and preferences.
WINDOW_OPENING = "window_opening"  # 作業期程即將開始
WINDOW_CLOSING = "window_closing"  # 作業期程即將截止
OUTCOME_RETURNED = "outcome_returned"  # 課程學習成果被退回 (R13)
CERTIFICATION_WAITING = "certification_waiting"  # 待認證的課程學習成果 (R37)
RECEIPT_TO_CONFIRM = "receipt_to_confirm"  # 收訖明細待確認 (R36)
BINDING_WAITING = "binding_waiting"  # 親子綁定待審核 (R33)
BINDING_DECIDED = "binding_decided"  # 親子綁定審核結果 (R33)

notification_requested = Signal()
"""Sent with ``kind``, ``event_key``, ``recipients`` (users), ``title``, ``body``, ``url``."""


def request_notification(
    kind: str,
    event_key: str,
    recipients: Iterable[Any],
    *,
    title: str,
    body: str = "",
    url: str = "",
) -> None:
    """Ask for one notification per recipient; the same (kind, event_key, recipient) is only
    ever notified once, so calling this again for the same event is harmless."""
    notification_requested.send(
        sender=None,
        kind=kind,
        event_key=event_key,
        recipients=list(recipients),
        title=title,
        body=body,
        url=url,
    )
