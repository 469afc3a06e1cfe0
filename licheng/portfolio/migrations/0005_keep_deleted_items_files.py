"""Fill the new columns of existing replaced files, and take back the files deleted items left.

Before this, deleting a performance left its files stored but referred to by nothing (only its
``portfolio.performance.delete`` audit entry named them), and removed the ReplacedFile rows of
files it had replaced earlier (``on_delete=CASCADE``). The audit log names both, so they become
kept files again, listed for the school to purge.
"""

from django.db import migrations


def fill_item_columns(apps, schema_editor):
    ReplacedFile = apps.get_model("portfolio", "ReplacedFile")
    rows = ReplacedFile.objects.select_related("outcome", "performance")
    for row in rows.filter(student__isnull=True).iterator():
        item, kind = (row.outcome, "outcome") if row.outcome_id else (row.performance, "performance")
        row.student_id, row.item_kind = item.student_id, kind
        row.item_pk, row.item_title = item.pk, item.title[:120]
        row.save(update_fields=["student", "item_kind", "item_pk", "item_title"])


def _replaced_by_revisions(entries, performance_id: str) -> list[tuple[str, object]]:
    """(file id, revise entry) for every proof file a revision took out of the performance."""
    found = []
    revisions = entries.filter(action="portfolio.performance.revise", object_id=performance_id)
    for entry in revisions.order_by("at", "id"):
        before = set((entry.before or {}).get("files") or [])
        after = set((entry.after or {}).get("files") or [])
        found += [(file_id, entry) for file_id in sorted(before - after)]
    return found


def adopt_files_of_deleted_performances(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ReplacedFile = apps.get_model("portfolio", "ReplacedFile")
    StoredFile = apps.get_model("evidence", "StoredFile")
    entries = AuditEntry.objects.all()
    for deletion in entries.filter(action="portfolio.performance.delete").order_by("at", "id"):
        before = deletion.before or {}
        current = [
            (f["id"], deletion, "item_deleted")
            for f in before.get("files") or []
            if isinstance(f, dict) and "id" in f
        ]
        earlier = [
            (file_id, entry, "replaced")
            for file_id, entry in _replaced_by_revisions(entries, deletion.object_id)
        ]
        for file_id, entry, reason in earlier + current:
            stored = StoredFile.objects.filter(pk=file_id, owner__isnull=False).first()
            if stored is None or ReplacedFile.objects.filter(stored_file=stored).exists():
                continue
            kept = ReplacedFile.objects.create(
                stored_file=stored,
                student_id=stored.owner_id,
                item_kind="performance",
                item_pk=int(deletion.object_id),
                item_title=str(before.get("title") or deletion.object_repr)[:120],
                reason=reason,
                replaced_by_id=entry.actor_id,
            )
            # auto_now_add stamped "now"; the history is when the file really left its item.
            ReplacedFile.objects.filter(pk=kept.pk).update(replaced_at=entry.at)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("evidence", "0001_initial"),
        ("portfolio", "0004_kept_file_item"),
    ]

    operations = [
        migrations.RunPython(fill_item_columns, migrations.RunPython.noop),
        migrations.RunPython(adopt_files_of_deleted_performances, migrations.RunPython.noop),
    ]
