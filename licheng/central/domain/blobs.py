"""Content-addressed file storage (檔案存放) at the central repository.

A file counts as stored only once its ``Blob`` row is committed. Bytes are written before that
row: if the process dies in between, the bytes on disk have no row, and the next package that
carries them writes them again over whatever half-written file was left.
"""

from __future__ import annotations

import hashlib
import zipfile
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage

from licheng.lib.exchange import HashingReader, PackageError

from ..models import Blob, blob_name

CHUNK = 1024 * 1024


class _BigChunks(File):
    """Storage back-ends copy ``chunks()``: 1 MB at a time rather than Django's 64 KB."""

    DEFAULT_CHUNK_SIZE = CHUNK


def write_blob_bytes(sha256: str, stream: IO[bytes], entry: dict[str, Any]) -> None:
    """Write the bytes of a not-yet-committed blob, replacing any leftover of an earlier try,
    hashing them on the way: bytes that do not match ``sha256`` are removed and refused."""
    name = blob_name(sha256)
    if default_storage.exists(name):
        default_storage.delete(name)
    reader = HashingReader(stream)
    try:
        saved = default_storage.save(name, _BigChunks(reader, name=name))  # type: ignore[arg-type]
    except (zipfile.BadZipFile, EOFError) as exc:
        default_storage.delete(name)
        raise PackageError(f"檔案 {entry['name']} 無法讀取（封包可能不完整）") from exc
    if saved != name:  # a concurrent writer won the name: same bytes by construction
        default_storage.delete(saved)
    try:
        reader.check(sha256, entry)
    except PackageError:
        default_storage.delete(name)
        raise


def open_blob(blob: Blob) -> IO[bytes]:
    return default_storage.open(blob.storage_name, "rb")


def verify_blob(blob: Blob) -> bool:
    """Re-read the stored bytes and compare size and SHA-256 with the row."""
    digest, size = hashlib.sha256(), 0
    try:
        with open_blob(blob) as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return False
    return size == blob.size and digest.hexdigest() == blob.sha256


def verify_all() -> tuple[int, list[str]]:
    """Verify every stored file; returns how many were checked and the hashes that failed."""
    failed, count = [], 0
    for blob in Blob.objects.order_by("sha256").iterator():
        count += 1
        if not verify_blob(blob):
            failed.append(blob.sha256)
    return count, failed
