"""Counselling attachments move to the evidence app's StoredFile (immutable, SHA-256, verified).

Existing attachments keep their bytes where they are: each becomes a StoredFile naming the same
storage path, with the SHA-256 and size already recorded.
"""

from django.db import migrations, models
import django.db.models.deletion

KINDS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}


def to_stored_files(apps, schema_editor):
    Record = apps.get_model("curriculum", "CounsellingRecord")
    StoredFile = apps.get_model("evidence", "StoredFile")
    for rec in Record.objects.exclude(file=""):
        ext = rec.file.name.rsplit(".", 1)[-1].lower()
        rec.stored_file = StoredFile.objects.create(
            storage_name=rec.file.name,
            original_name=(rec.file_name or rec.file.name)[-255:],
            sha256=rec.file_sha256,
            size=rec.file_size,
            kind=KINDS.get(ext, "pdf"),
            uploaded_by_id=rec.counsellor_id,
        )
        rec.save(update_fields=["stored_file"])


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0003_import_kind_label"),
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="counsellingrecord",
            name="stored_file",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="counselling_records",
                to="evidence.storedfile",
                verbose_name="附件",
            ),
        ),
        migrations.RunPython(to_stored_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="counsellingrecord", name="file"),
        migrations.RemoveField(model_name="counsellingrecord", name="file_name"),
        migrations.RemoveField(model_name="counsellingrecord", name="file_sha256"),
        migrations.RemoveField(model_name="counsellingrecord", name="file_size"),
    ]
