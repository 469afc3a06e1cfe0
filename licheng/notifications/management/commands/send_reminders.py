"""``manage.py send_reminders [--day YYYY-MM-DD]``: run daily (cron) to remind of windows."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from licheng.notifications.domain.certification import send_certification_waiting
from licheng.notifications.domain.reminders import send_window_reminders


class Command(BaseCommand):
    help = (
        "提醒即將開始與即將截止的作業期程，並每週通知待認證的成果（每日執行；重複執行不會重複通知）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, day=None, **options):
        day = day or timezone.localdate()
        created = send_window_reminders(day)
        waiting = send_certification_waiting(day)
        self.stdout.write(f"{created} new window reminders, {waiting} new certification notices")
