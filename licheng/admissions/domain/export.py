"""The chair's ranked table (排序表) as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..models import Department
from .packages import applicant_label
from .review import RankRow


def _table(department: Department, rows: list[RankRow]) -> list[list[object]]:
    criteria = list(department.criteria.all())
    header: list[object] = [
        "名次",
        "考生",
        "畢業學校",
        *[f"{c.name}（平均等級）" for c in criteria],
    ]
    header += ["各委員總分", "書審成績", "加權後成績", "差分檢核"]
    table = [header]
    for row in rows:
        app = row.application
        snapshot = app.snapshot or {}
        school = "" if department.hide_names else snapshot["applicant"]["school"]
        status = "待處理" if row.flagged else ("已議定" if row.resolved else "")
        table.append(
            [
                row.rank or "",
                applicant_label(app),
                school,
                *[row.criterion_means.get(c.pk, "") for c in criteria],
                "、".join(str(t) for t in row.totals),
                row.review_score if row.review_score is not None else "",
                row.weighted if row.weighted is not None else "",
                status,
            ]
        )
    return table


def ranking_csv(department: Department, rows: list[RankRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _table(department, rows):
        writer.writerow(line)
    # The BOM lets Excel in Taiwan open the UTF-8 file without garbling the Chinese.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ranking_xlsx(department: Department, rows: list[RankRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=department.code[:31] or "排序")
    for line in _table(department, rows):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
