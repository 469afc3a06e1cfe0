"""Counting a chosen PDF's pages before it is uploaded (頁數預檢), for the quality hints.

Nothing is stored and nothing is refused here: the upload's own validation (validation.py)
decides what is accepted. A file that is not a readable PDF simply has no page count.
"""

from __future__ import annotations

from typing import IO

from pypdf import PdfReader

from ..enums import FileKind
from .validation import sniff


def pdf_page_count(stream: IO[bytes]) -> int | None:
    """Pages of the PDF in ``stream`` (seekable), or None when it is not a readable PDF."""
    stream.seek(0)
    if sniff(stream.read(64)) != FileKind.PDF:
        return None
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        return None if reader.is_encrypted else len(reader.pages)
    except Exception:  # pypdf raises many kinds of error on damaged input; all mean "unknown"
        return None
    finally:
        stream.seek(0)
