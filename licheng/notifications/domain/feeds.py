"""Calendar feeds (行事曆訂閱): a secret, revocable iCalendar URL with a person's deadlines.

The URL carries a random token; only its SHA-256 is stored, so the address cannot be read back
from the database. Making a new one revokes the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.lib.i18n import source_language

from ..models import CalendarFeed
from .deadlines import windows_for_person


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_feed(user: Any) -> str:
    """Make (or replace) the person's feed; returns the token, shown to them once."""
    token = secrets.token_urlsafe(32)
    replaced = CalendarFeed.objects.filter(user=user).delete()[0] > 0
    CalendarFeed.objects.create(user=user, token_hash=_hash(token))
    record("notifications.feed.create", actor=user, obj=user, after={"replaced": replaced})
    return token


@transaction.atomic
def revoke_feed(user: Any) -> bool:
    """Stop the feed (停用訂閱網址): calendars using the old address get nothing more."""
    deleted = CalendarFeed.objects.filter(user=user).delete()[0] > 0
    if deleted:
        record("notifications.feed.revoke", actor=user, obj=user)
    return deleted


def user_for_token(token: str) -> Any | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    # Calendar apps poll often; note use at most hourly to keep the feed a read.
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    # RFC 5545 3.1: lines longer than 75 octets are folded; never split a UTF-8 character.
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def calendar_for(user: Any, *, today: dt.date | None = None) -> str:
    """The person's deadlines as an iCalendar document (RFC 5545)."""
    with source_language():  # the calendar reads in zh-Hant, as calendar apps fetch it
        today = today or timezone.localdate()
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Licheng//學習歷程平臺//ZH-TW",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:學習歷程期限",
            "X-WR-TIMEZONE:Asia/Taipei",
        ]
        for window in windows_for_person(user, today):
            label = f"{window.get_kind_display()}（{window.period_label}）"
            uid = f"{window.school.code}-{window.kind}-{window.academic_year}-{window.semester}"
            for edge, day, summary in (
                ("open", window.opens_on, f"開始：{label}"),
                ("close", window.closes_on, f"截止：{label}"),
            ):
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{uid}-{edge}@licheng",
                    f"DTSTAMP:{stamp}",
                    f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                    f"SUMMARY:{_escape(summary)}",
                    f"DESCRIPTION:{_escape(f'{window.school.name} {window.opens_on} 至 {window.closes_on}')}",
                    "TRANSP:TRANSPARENT",
                    "END:VEVENT",
                ]
        lines.append("END:VCALENDAR")
        return "".join(part + "\r\n" for line in lines for part in _fold(line))
