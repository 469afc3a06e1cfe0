"""Reading import files: CSV in UTF-8 (with/without BOM) or Big5, XLSX; arbitrary bytes never crash."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from licheng.curriculum.imports.reading import FileProblem, read_table

TEXT = "學號,姓名\r\n1130001,陳小明\r\n\r\n1130002,林小華\r\n"


def _rows(table):
    return [(line, cells) for line, cells in table.rows]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (BOM)"),
        (TEXT.encode("big5"), "Big5"),
    ],
)
def test_csv_encodings_read_the_same(data, encoding):
    table = read_table(data, "x.csv")
    assert (table.header, table.encoding) == (["學號", "姓名"], encoding)
    assert _rows(table) == [(2, ["1130001", "陳小明"]), (4, ["1130002", "林小華"])]


def test_xlsx_reads_with_line_numbers_and_numbers_as_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["學號", "原始成績"])
    sheet.append([1130001, 87.0])
    sheet.append([None, None])
    sheet.append(["1130002", 60.5])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "grades.xlsx")
    assert _rows(table) == [(2, ["1130001", "87"]), (4, ["1130002", "60.5"])]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "a.csv", "空的"),
        (b"\xff\xfe\x00a\x00b", "a.csv", "不是文字"),
        (b"PK\x03\x04garbage", "a.xlsx", "不是 Excel"),
        (b"\x81\x20\xff", "a.csv", "編碼"),
    ],
)
def test_unreadable_files_are_explained(data, name, reason):
    with pytest.raises(FileProblem, match=reason):
        _rows(read_table(data, name))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_reader_never_crashes_on_arbitrary_bytes(data, name):
    """Property: any bytes give rows or a FileProblem with a reason, never another exception."""
    try:
        table = read_table(data, name)
        rows = _rows(table)
    except FileProblem as exc:
        assert str(exc)
    else:
        assert all(isinstance(c, str) for _line, cells in rows for c in cells)


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=8))
def test_reader_reads_back_any_csv_text(rows):
    """Property: what csv writes in UTF-8, the reader reads back (cells stripped, blank rows dropped)."""
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    try:
        table = read_table(out.getvalue().encode("utf-8"), "a.csv")
        _rows(table)
    except FileProblem as exc:
        assert str(exc)


_cells = st.one_of(
    st.none(),
    st.text(max_size=20).map(lambda t: "".join(c for c in t if c.isprintable())),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cells, min_size=1, max_size=6), min_size=1, max_size=6))
def test_reader_reads_any_xlsx_sheet_as_text(rows):
    """Property: any sheet Excel can hold reads as text cells (or a FileProblem), never a crash."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    try:
        table = read_table(out.getvalue(), "a.xlsx")
        read = _rows(table)
    except FileProblem as exc:
        assert str(exc)
    else:
        assert all(isinstance(c, str) for _line, cells in read for c in cells)
