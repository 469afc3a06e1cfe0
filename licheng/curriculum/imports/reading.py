"""Reading import files (匯入檔): CSV in UTF-8 (with or without BOM) or Big5, and XLSX.

``read_table`` never raises anything but ``FileProblem``, whatever bytes it is given: a file
it cannot read is reported in plain words, never as a server error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_COLUMNS = 60


class FileProblem(ValueError):
    """The file as a whole cannot be read (encoding, format, header)."""


@dataclass
class Table:
    header: list[str]
    # (line number as the administrator sees it in their spreadsheet, cell texts)
    rows: Iterator[tuple[int, list[str]]]
    encoding: str


def clean_header(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name: UTF-8 (BOM or not) first, then Big5 (cp950)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            raise FileProblem("檔案標示為 UTF-8 但內容含有無法辨識的字元") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp950 is Big5 as Windows and older school systems actually write it.
        return data.decode("cp950"), "Big5"
    except UnicodeDecodeError:
        raise FileProblem(
            "無法辨識檔案的文字編碼，請另存為 UTF-8 或 Big5 的 CSV，或 XLSX"
        ) from None


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            # Most cells come without surrounding spaces; strip only those that have them.
            if len(row) > MAX_COLUMNS:
                row = row[:MAX_COLUMNS]
            yield (
                reader.line_num,
                [c.strip() if c and (c[0].isspace() or c[-1].isspace()) else c for c in row],
            )
    except csv.Error as exc:
        raise FileProblem(
            f"CSV 格式錯誤（第 {reader.line_num} 行附近）：引號未成對或欄位格式不正確"
        ) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in row[:MAX_COLUMNS]]
        book.close()
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FileProblem("XLSX 檔案無法開啟，可能已損毀；請重新另存後再上傳") from exc


def read_table(data: bytes, filename: str = "") -> Table:
    """The header row and an iterator of data rows (blank rows skipped)."""
    if not data.strip():
        raise FileProblem("檔案是空的")
    is_zip = data[:4] == b"PK\x03\x04"
    if is_zip or filename.lower().endswith(".xlsx"):
        if not is_zip or not zipfile.is_zipfile(io.BytesIO(data)):
            raise FileProblem("副檔名為 .xlsx，但檔案不是 Excel 活頁簿")
        rows, encoding = _xlsx_rows(data), "XLSX"
    else:
        if b"\x00" in data[:4096]:
            raise FileProblem("這不是文字（CSV）檔，請上傳 CSV 或 XLSX")
        text, encoding = decode(data)
        rows = _csv_rows(text)
    for _line, cells in rows:
        if any(cells):
            header = [clean_header(c) for c in cells]
            break
    else:
        raise FileProblem("檔案沒有標題列")
    return Table(header=header, rows=(r for r in rows if any(r[1])), encoding=encoding)
