"""An admission year keeps a name only when the committee chose one: the name that used to be
filled in by default (「115學年度」) is emptied, so the year reads in the reader's language."""

from django.db import migrations, models


def forget_default_names(apps, schema_editor):
    AdmissionYear = apps.get_model("admissions", "AdmissionYear")
    for year in AdmissionYear.objects.all():
        if year.name == f"{year.year}學年度":
            year.name = ""
            year.save(update_fields=["name"])


def restore_default_names(apps, schema_editor):
    AdmissionYear = apps.get_model("admissions", "AdmissionYear")
    for year in AdmissionYear.objects.filter(name=""):
        year.name = f"{year.year}學年度"
        year.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0003_stored_file"),
    ]

    operations = [
        migrations.AlterField(
            model_name="admissionyear",
            name="name",
            field=models.CharField(blank=True, max_length=60, verbose_name="名稱"),
        ),
        migrations.RunPython(forget_default_names, restore_default_names),
    ]
