"""``manage.py seal_archives``: the daily archiving run (R26), for cron or a scheduler."""

from django.core.management.base import BaseCommand

from licheng.central.domain.archive import seal_due_students


class Command(BaseCommand):
    help = "封存首次升學申請滿 5 年的學生資料（R26）"

    def handle(self, *args, **options):
        sealed = seal_due_students()
        self.stdout.write(f"封存 {sealed} 位學生的資料")
