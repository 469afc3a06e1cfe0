"""The columns 0005 filled are required from now on; the school's list filters by student."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0005_keep_deleted_items_files"),
    ]

    operations = [
        migrations.AlterField(
            model_name="replacedfile",
            name="student",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="schools.student",
                verbose_name="學生",
            ),
        ),
        migrations.AlterField(
            model_name="replacedfile",
            name="item_kind",
            field=models.CharField(
                choices=[
                    ("outcome", "課程學習成果"),
                    ("performance", "多元表現"),
                    ("application_upload", "申請資料上傳檔"),
                ],
                max_length=20,
                verbose_name="原屬項目類別",
            ),
        ),
        migrations.AlterField(
            model_name="replacedfile",
            name="item_pk",
            field=models.PositiveBigIntegerField(verbose_name="原屬項目編號"),
        ),
        migrations.AddIndex(
            model_name="replacedfile",
            index=models.Index(fields=["student", "replaced_at"], name="portfolio_r_student_557e53_idx"),
        ),
    ]
