"""Importing departments (校系匯入) from a spreadsheet: .xlsx or .csv, all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext

from licheng.lib.i18n import in_source_language

from ..enums import RequiredItem
from ..models import Channel, Department
from . import AdmissionError
from .setup import parse_date, parse_threshold, save_department

COLUMNS = {
    "校系代碼": "code",
    "學校": "university",
    "系所名稱": "name",
    "課程學習成果上限": "max_outcomes",
    "專題實作及實習成果上限": "max_project_outcomes",
    "多元表現上限": "max_performances",
    "必繳項目": "required_items",
    "差分檢核門檻": "discrepancy_threshold",
    "審查開始日期": "review_opens_on",
    "審查截止日期": "review_closes_on",
}
REQUIRED_COLUMNS = ("校系代碼", "學校", "系所名稱")
MAX_ROWS = 2000


def _required_by_label() -> dict[str, str]:
    """Required items as department spreadsheets name them: by their zh-Hant labels, whatever
    language the person importing reads."""
    return {in_source_language(r.label): r.value for r in RequiredItem}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def read_rows(upload: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """Rows of the first sheet (or the CSV) keyed by header text."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file
            raise AdmissionError(gettext("無法讀取此 Excel 檔案，請確認是 .xlsx 格式")) from None
        sheet = book.worksheets[0]
        values = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)]
        book.close()
    elif filename.lower().endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AdmissionError(gettext("CSV 檔案須為 UTF-8 編碼")) from None
        values = list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 1]
    else:
        raise AdmissionError(gettext("請上傳 .xlsx 或 .csv 檔案"))
    if not values:
        raise AdmissionError(gettext("檔案是空的"))
    header = [str(h or "").strip() for h in values[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise AdmissionError(gettext("缺少欄位：%(columns)s") % {"columns": "、".join(missing)})
    return [
        dict(zip(header, row, strict=False))
        for row in values[1:]
        if any(v not in (None, "") for v in row)
    ]


def _int_or_none(value: Any, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip().removesuffix(".0"))
    except ValueError:
        raise ValueError(gettext("「%(column)s」須為整數") % {"column": label}) from None
    if number < 0:
        raise ValueError(gettext("「%(column)s」不可為負數") % {"column": label})
    return number


def _values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for header, name in COLUMNS.items():
        raw = row.get(header)
        if name in ("code", "university", "name"):
            values[name] = str(raw or "").strip()
        elif name.startswith("max_"):
            values[name] = _int_or_none(raw, header)
        elif name == "required_items":
            labels = [x.strip() for x in str(raw or "").replace("、", ",").split(",") if x.strip()]
            by_label = _required_by_label()
            unknown = [x for x in labels if x not in by_label]
            if unknown:
                raise ValueError(
                    gettext("不認得的必繳項目：%(items)s") % {"items": "、".join(unknown)}
                )
            values[name] = [by_label[x] for x in labels]
        elif name == "discrepancy_threshold":
            try:
                values[name] = parse_threshold(raw)
            except ArithmeticError:
                raise ValueError(gettext("「%(column)s」須為數字") % {"column": header}) from None
        else:
            try:
                values[name] = parse_date(raw)
            except ValueError:
                raise ValueError(
                    gettext("「%(column)s」須為日期（例如 2026-04-20）") % {"column": header}
                ) from None
    for required in ("code", "university", "name"):
        if not values[required]:
            column = next(h for h, n in COLUMNS.items() if n == required)
            raise ValueError(gettext("「%(column)s」不可空白") % {"column": column})
    return values


def import_departments(
    channel: Channel, upload: IO[bytes], filename: str, *, actor: Any
) -> ImportResult:
    """Create or update the channel's departments from a spreadsheet; any bad row stops it all."""
    rows = read_rows(upload, filename)
    if len(rows) > MAX_ROWS:
        raise AdmissionError(gettext("一次最多匯入 %(n)s 個校系") % {"n": MAX_ROWS})
    result = ImportResult()
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=2):
        try:
            parsed.append((number, _values(row)))
        except ValueError as exc:
            result.errors.append(
                gettext("第 %(row)s 列：%(message)s") % {"row": number, "message": exc}
            )
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, values in parsed:
                existing = Department.objects.filter(channel=channel, code=values["code"]).first()
                try:
                    save_department(channel, actor=actor, department=existing, **values)
                except AdmissionError as exc:
                    result.errors.extend(
                        gettext("第 %(row)s 列：%(message)s") % {"row": number, "message": m}
                        for m in exc.messages
                    )
                    continue
                if existing:
                    result.updated += 1
                else:
                    result.created += 1
            if result.errors:
                raise _RollBack
    except _RollBack:
        result.created = result.updated = 0
    return result


class _RollBack(Exception):
    pass
