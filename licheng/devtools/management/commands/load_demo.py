"""Load the demo data (載入示範資料) and print one login per role. Safe to run twice."""

from django.conf import settings
from django.core.management.base import BaseCommand

from licheng.devtools.demo import load_all


class Command(BaseCommand):
    help = "Load idempotent demo data and print the demo logins."

    def handle(self, *args, **options):
        ctx = load_all()
        self.stdout.write("")
        self.stdout.write("示範帳號 Demo logins (學校代碼 / 帳號 / 密碼):")
        for role, school, account, password in ctx.logins:
            self.stdout.write(f"  {role:<14} {school:<7} {account:<22} {password}")
        self.stdout.write("")
        self.stdout.write(f"寄出的電子郵件 (e-mail) are written to {settings.EMAIL_FILE_PATH}/")
