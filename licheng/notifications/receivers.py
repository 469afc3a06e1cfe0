"""Turning data apps' notification requests (``licheng.lib.events``) into notifications."""

from __future__ import annotations

from typing import Any

from .domain.notify import notify_many


def on_notification_requested(
    sender: Any,
    *,
    kind: str,
    event_key: str,
    recipients: list,
    title: str,
    body: str,
    url: str,
    **kwargs: Any,
) -> None:
    notify_many(kind, event_key, recipients, title=title, body=body, url=url)
