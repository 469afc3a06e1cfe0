"""Daily jobs queued by the scheduler: window and certification reminders (R12, R37, issue 8),
archive sealing (R26) and expired sessions, once per day whatever the number of schedulers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from licheng.ops.domain import daily
from licheng.ops.models import DailyRun

TAIPEI = ZoneInfo("Asia/Taipei")
pytestmark = pytest.mark.django_db


def test_daily_jobs_wait_for_their_hour_then_are_queued_once(settings):
    """R26, R37: the day's reminders and sealing are queued once, after the configured hour."""
    settings.DAILY_JOBS_HOUR = 7
    early = dt.datetime(2026, 3, 5, 6, 59, tzinfo=TAIPEI)
    assert daily.queue_daily_jobs(early) == []
    later = early + dt.timedelta(minutes=2)
    assert sorted(daily.queue_daily_jobs(later)) == [
        "certification_reminders",
        "clear_sessions",
        "seal_archives",
        "window_reminders",
    ]
    # A second scheduler (or the next loop) the same day queues nothing again.
    assert daily.queue_daily_jobs(later + dt.timedelta(hours=1)) == []
    assert DailyRun.objects.filter(day=dt.date(2026, 3, 5)).count() == 4
    # The next day they are due again.
    assert len(daily.queue_daily_jobs(later + dt.timedelta(days=1))) == 4


def test_scheduler_command_queues_the_daily_jobs(settings, tmp_path, capsys):
    settings.DAILY_JOBS_HOUR = 0
    settings.BACKUP_HOUR = 24  # no backup in this test
    settings.BACKUP_DIR = tmp_path
    call_command("ops_scheduler", "--once")
    out = capsys.readouterr().out
    assert "window_reminders" in out and "seal_archives" in out and "clear_sessions" in out
    assert DailyRun.objects.count() == 4


def test_expired_sessions_are_cleared_and_live_ones_kept(student):
    from django.contrib.auth import SESSION_KEY
    from django.utils import timezone

    from licheng.accounts.models import Session
    from licheng.accounts.sessions import SessionStore
    from licheng.ops.tasks import clear_expired_sessions

    live, old = SessionStore(), SessionStore()
    for store in (live, old):
        store[SESSION_KEY] = str(student.user_id)
        store.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    assert clear_expired_sessions.call() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
