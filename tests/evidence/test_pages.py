"""Counting a chosen PDF's pages without storing it (頁數預檢), for the quality hints."""

from __future__ import annotations

import io

import pytest

from licheng.devtools import samples
from licheng.evidence.domain.pages import pdf_page_count


def test_pages_of_a_pdf_are_counted():
    assert pdf_page_count(io.BytesIO(samples.pdf_bytes(pages=12))) == 12


@pytest.mark.parametrize(
    "data",
    [samples.png_bytes(), b"%PDF-1.7\n garbage with no objects", b"", b"MZ\x90\x00"],
    ids=["image", "damaged pdf", "empty", "executable"],
)
def test_anything_else_has_no_page_count(data):
    """Not a readable PDF: no count, and no error either (the upload's validation says why)."""
    assert pdf_page_count(io.BytesIO(data)) is None


def test_the_stream_is_left_at_its_start():
    stream = io.BytesIO(samples.pdf_bytes(pages=2))
    pdf_page_count(stream)
    assert stream.tell() == 0
