"""``manage.py verify_evidence``: re-hash every stored file; exit 1 if any is missing or corrupt."""

from django.core.management.base import BaseCommand, CommandError

from licheng.evidence.domain.verify import problems
from licheng.evidence.models import StoredFile


class Command(BaseCommand):
    help = "Re-hash every stored evidence file against the database; exit non-zero on any problem."

    def handle(self, *args, **options):
        total = StoredFile.objects.count()
        found = 0
        for problem in problems():
            found += 1
            self.stdout.write(
                f"{problem.kind.upper()} {problem.stored.pk} {problem.stored.storage_name} "
                f"({problem.stored.original_name}): {problem.detail}"
            )
        if found:
            raise CommandError(f"{found} of {total} stored files are missing or corrupt")
        self.stdout.write(f"OK: {total} stored files verified")
