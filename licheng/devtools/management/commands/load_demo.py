"""Load the demo data (載入示範資料) and print one login per role. Safe to run twice."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from licheng.devtools.demo import load_all


class Command(BaseCommand):
    help = "Load idempotent demo data and print the demo logins."

    def handle(self, *args, **options):
        # The demo runs its background tasks in-process: one INFO line per task would bury the
        # logins printed below. Warnings and errors still show.
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        ctx = load_all()
        self.stdout.write("")
        self.stdout.write("示範帳號 Demo logins (學校代碼 / 帳號 / 密碼):")
        for role, school, account, password in ctx.logins:
            self.stdout.write(f"  {role:<14} {school:<7} {account:<22} {password}")
        self.stdout.write("")
        self.stdout.write(f"寄出的電子郵件 (e-mail) are written to {settings.EMAIL_FILE_PATH}/")
