"""What every import kind shares: columns, row errors, duplicate detection, the check loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from licheng.lib.i18n import in_source_language
from licheng.schools.models import School

from .reading import FileProblem, Table

# Every bad row is counted; the first this many are kept for the report page.
MAX_ERRORS = 2000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


class RowInvalid(Exception):
    """Raised inside ``Importer.check`` for the first problem of a row."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class ImportConflict(Exception):
    """Something changed between checking and writing; the whole import is rolled back."""


@dataclass
class CheckResult:
    rows: int
    errors: list[RowError]
    error_count: int


class Importer:
    """One kind of import. Subclasses set ``columns`` and implement ``check`` and ``apply``.

    ``check`` reads one row (a dict column → text), raises ``RowInvalid`` for a bad row, or
    returns ``(key, value)``: the key finds duplicates within the file, the value is what
    ``apply`` writes. The importer is built for one school and preloads what it needs, so a
    100,000-row file is checked without a query per row.
    """

    columns: list[str] = []
    required: list[str] = []

    def __init__(self, school: School, actor: Any):
        self.school = school
        self.actor = actor
        self.valid: list[Any] = []

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        raise NotImplementedError

    def apply(self) -> dict[str, int]:
        raise NotImplementedError

    @classmethod
    def export_rows(cls, school: School) -> Iterable[list[Any]]:
        raise NotImplementedError

    def run(self, table: Table, progress: Callable[[int], None] | None = None) -> CheckResult:
        """Check every row; valid ones are kept in ``self.valid`` for ``apply``."""
        missing = [c for c in self.required if c not in table.header]
        if missing:
            raise FileProblem(
                "標題列缺少欄位：" + "、".join(missing) + "（請下載範本檔對照欄位名稱）"
            )
        # Unknown columns are carried along and ignored; a missing optional column reads as "".
        header = table.header
        seen: dict[Any, int] = {}
        errors: list[RowError] = []
        error_count = rows = 0
        for line, cells in table.rows:
            rows += 1
            if progress is not None and rows % 5000 == 0:
                progress(rows)
            row = dict(zip(header, cells, strict=False))
            try:
                key, value = self.check(row)
                if key in seen:
                    raise RowInvalid("", f"與第 {seen[key]} 列重複")
            except RowInvalid as bad:
                error_count += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(RowError(line, bad.column, bad.reason))
                continue
            seen[key] = line
            self.valid.append(value)
        return CheckResult(rows=rows, errors=errors, error_count=error_count)


def int_in(row: dict[str, str], column: str, low: int, high: int) -> int:
    text = row.get(column, "")
    if not text:
        raise RowInvalid(column, f"{column}未填")
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise RowInvalid(column, f"{column}「{text[:20]}」應為 {low} 到 {high} 的整數")
    return int(text)


def text_in(row: dict[str, str], column: str, max_length: int, required: bool = True) -> str:
    text = row.get(column, "").strip()
    if required and not text:
        raise RowInvalid(column, f"{column}未填")
    if len(text) > max_length:
        raise RowInvalid(column, f"{column}超過 {max_length} 字")
    return text


def choice_in(row: dict[str, str], column: str, choices: Any) -> str:
    """Accept the stored value or the zh-Hant label of a TextChoices (files are written in the
    platform's source language, whatever language the person importing them reads)."""
    text = row.get(column, "").strip()
    for value, label in choices.choices:
        if text in (value, in_source_language(label)):
            return value
    labels = "、".join(in_source_language(label) for _v, label in choices.choices)
    raise RowInvalid(column, f"{column}「{text[:20]}」不正確，應為：{labels}")
