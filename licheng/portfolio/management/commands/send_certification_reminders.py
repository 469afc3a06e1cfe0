"""``manage.py send_certification_reminders``: run daily; mails certifiers near the deadline (R37)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from licheng.portfolio.domain.reminders import send_certification_reminders


class Command(BaseCommand):
    help = "E-mail teachers and proxy certifiers about outcomes pending before the deadline."

    def handle(self, *args, **options):
        sent = send_certification_reminders(timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")
