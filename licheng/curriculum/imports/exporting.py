"""Exports and templates in the formats the imports read: CSV (UTF-8 with BOM, or Big5) and XLSX.

An export re-imported unchanged changes nothing (tested round trip).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from licheng.schools.models import School

from . import IMPORTERS

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "big5": ("text/csv; charset=big5", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class ExportProblem(ValueError):
    pass


def render(header: list[str], rows: Iterable[list[Any]], fmt: str) -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(header)
        for row in rows:
            # Text cells keep leading zeros of student numbers and codes.
            sheet.append([str(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    if fmt == "big5":
        try:
            return text.getvalue().encode("cp950")
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise ExportProblem(
                f"資料中的「{bad}」無法以 Big5 表示，請改用 UTF-8 CSV 或 XLSX"
            ) from None
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")


def export_file(kind: str, school: School, fmt: str, *, actor: Any = None) -> bytes:
    """The school's data of one kind; R35: the export (personal data in bulk) is logged."""
    from licheng.audit.domain import record

    importer = IMPORTERS[kind]
    content = render(importer.columns, importer.export_rows(school), fmt)
    record("curriculum.export", actor=actor, school=school, after={"kind": kind, "format": fmt})
    return content


def template_file(kind: str, fmt: str) -> bytes:
    return render(IMPORTERS[kind].columns, [], fmt)
