"""Window reminders (作業期程提醒): N days before a window opens and before it closes.

N is the school's ``reminder_days`` (學校設定「期限前幾天提醒」). Run daily by
``manage.py send_reminders`` (cron or the task queue). Each reminder's event key names the window
and its date, so running twice a day, or every day of the N, reminds each person once; a window
whose dates the school moves gets a fresh reminder for the new date.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from licheng.lib import events
from licheng.lib.i18n import source_language
from licheng.schools.domain.policy import policy_of
from licheng.schools.models import School, Window

from .deadlines import audience, nearby_years, school_windows
from .notify import notify_many


def _event_key(window: Window, edge: str, on: dt.date) -> str:
    return (
        f"window:{window.school.code}:{window.kind}:{window.academic_year}:"
        f"{window.semester}:{edge}:{on.isoformat()}"
    )


def due_reminders(school: School, day: dt.date) -> list[tuple[str, Window]]:
    """(kind, window) pairs whose reminder is due on ``day``: opening or closing within N days."""
    days = policy_of(school).reminder_days
    due = []
    for window in school_windows(school, nearby_years(day)):
        if 0 < (window.opens_on - day).days <= days:
            due.append((events.WINDOW_OPENING, window))
        if window.opens_on <= day and 0 <= (window.closes_on - day).days <= days:
            due.append((events.WINDOW_CLOSING, window))
    return due


def send_window_reminders(day: dt.date | None = None) -> int:
    """Create the due reminders of every school; returns how many notifications were new."""
    with source_language():  # notifications are kept in zh-Hant (lib/i18n.py)
        day = day or timezone.localdate()
        created = 0
        for school in School.objects.order_by("code"):
            for kind, window in due_reminders(school, day):
                edge = "opening" if kind == events.WINDOW_OPENING else "closing"
                on = window.opens_on if edge == "opening" else window.closes_on
                label = f"{window.get_kind_display()}（{window.period_label}）"
                if edge == "opening":
                    title = f"{label}將於 {on:%Y-%m-%d} 開始"
                else:
                    title = f"{label}將於 {on:%Y-%m-%d} 截止，逾時將無法補件"
                created += len(
                    notify_many(
                        kind,
                        _event_key(window, edge, on),
                        audience(window),
                        title=title,
                        body=f"{school.name}：{label} {window.opens_on:%Y-%m-%d} 至 {window.closes_on:%Y-%m-%d}。",
                        url=reverse("web:dashboard"),
                    )
                )
        return created
