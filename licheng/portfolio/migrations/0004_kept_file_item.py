"""Replaced files become the history of any file its item no longer uses (舊版檔案).

Columns first, nullable; 0005 fills them; 0006 makes them required. Three migrations because
PostgreSQL refuses to alter a table with row changes pending in the same transaction.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0001_initial"),
        ("portfolio", "0003_replaced_performance_files"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="replacedfile", name="replaced_file_of_one_item"),
        migrations.AlterField(
            model_name="replacedfile",
            name="outcome",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="replaced_files",
                to="portfolio.learningoutcome",
            ),
        ),
        migrations.AlterField(
            model_name="replacedfile",
            name="performance",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="replaced_files",
                to="portfolio.performance",
            ),
        ),
        migrations.AddConstraint(
            model_name="replacedfile",
            constraint=models.CheckConstraint(
                condition=models.Q(outcome__isnull=True) | models.Q(performance__isnull=True),
                name="replaced_file_of_at_most_one_item",
            ),
        ),
        migrations.AddField(
            model_name="replacedfile",
            name="student",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="schools.student",
                verbose_name="學生",
            ),
        ),
        migrations.AddField(
            model_name="replacedfile",
            name="item_kind",
            field=models.CharField(
                choices=[
                    ("outcome", "課程學習成果"),
                    ("performance", "多元表現"),
                    ("application_upload", "申請資料上傳檔"),
                ],
                default="",
                max_length=20,
                verbose_name="原屬項目類別",
            ),
        ),
        migrations.AddField(
            model_name="replacedfile",
            name="item_pk",
            field=models.PositiveBigIntegerField(null=True, verbose_name="原屬項目編號"),
        ),
        migrations.AddField(
            model_name="replacedfile",
            name="item_title",
            field=models.CharField(blank=True, max_length=120, verbose_name="原屬項目名稱"),
        ),
        migrations.AddField(
            model_name="replacedfile",
            name="reason",
            field=models.CharField(
                choices=[("replaced", "已換檔"), ("item_deleted", "項目已刪除")],
                default="replaced",
                max_length=20,
                verbose_name="保存原因",
            ),
        ),
    ]
