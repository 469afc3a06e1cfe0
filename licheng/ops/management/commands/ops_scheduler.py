"""``manage.py ops_scheduler``: queue the nightly backup and the daily jobs when due, and restart
submissions and transfers in whose worker died (one line each).

django-tasks has no periodic tasks; this small loop is the clock. Several may run (one per app
machine): the unique day on BackupRun and on DailyRun lets only one of them queue each job.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from licheng.ops.domain import backups, daily
from licheng.ops.tasks import run_backup


class Command(BaseCommand):
    help = (
        "每日排程：到了設定的時間（臺北時間）就排入備份（LICHENG_BACKUP_HOUR）"
        "與每日提醒、認證提醒、封存工作（LICHENG_DAILY_JOBS_HOUR）；重新排入中斷的提交與轉入作業"
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="檢查間隔秒數")
        parser.add_argument("--once", action="store_true", help="只檢查一次")

    def handle(self, *args, **options):
        while True:
            day = backups.nightly_due()
            run = backups.queue_nightly_backup(day) if day else None
            if run is not None:
                run_backup.enqueue(run.pk)
                self.stdout.write(f"已排入 {day} 的每日備份（#{run.pk}）", ending="\n")
                self.stdout.flush()
            for name in daily.queue_daily_jobs():
                self.stdout.write(f"已排入今日的每日工作：{name}", ending="\n")
                self.stdout.flush()
            for line in daily.restart_stalled_jobs():
                self.stdout.write(f"中斷的背景作業：{line}", ending="\n")
                self.stdout.flush()
            if options["once"]:
                return
            time.sleep(options["interval"])
