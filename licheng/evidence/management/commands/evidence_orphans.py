"""``manage.py evidence_orphans``: list orphans; exit 1 if there are any. Never deletes."""

from django.core.management.base import BaseCommand, CommandError

from licheng.evidence.domain.orphans import unrecorded_names, unreferenced_files


class Command(BaseCommand):
    help = (
        "List stored-file rows nothing refers to (not an item, not kept history) and stored "
        "bytes no row records; exit non-zero if there are any. Nothing is deleted."
    )

    def handle(self, *args, **options):
        found = 0
        for stored in unreferenced_files().iterator(chunk_size=500):
            found += 1
            self.stdout.write(
                f"UNREFERENCED {stored.pk} {stored.storage_name} ({stored.original_name}, "
                f"{stored.size} bytes, owner {stored.owner_id or '-'}, {stored.created_at:%Y-%m-%d})"
            )
        for kind, name in unrecorded_names():
            found += 1
            self.stdout.write(f"{kind.upper()} {name}")
        if found:
            raise CommandError(f"{found} orphans: see above (nothing was deleted)")
        self.stdout.write("OK: every stored file is referred to and every stored byte recorded")
