"""The exchange format's hashing reader behaves as a file to storage back-ends (S3 asks)."""

from __future__ import annotations

import io

from django.core.files.base import File

from licheng.lib.exchange import HashingReader


def test_hashing_reader_answers_closed_and_seekable_like_a_file():
    reader = HashingReader(io.BytesIO(b"%PDF-1.4"))
    wrapped = File(reader, name="x")
    assert wrapped.closed is False
    assert wrapped.seekable() is False
    assert reader.read() == b"%PDF-1.4" and reader.size == 8
