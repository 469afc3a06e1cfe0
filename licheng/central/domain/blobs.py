"""Content-addressed file storage (檔案存放) at the central repository.

A file counts as stored only once its ``Blob`` row is committed. Bytes are written before that
row: if the process dies in between, the bytes on disk have no row, and the next package that
carries them writes them again over whatever half-written file was left.
"""

from __future__ import annotations

import hashlib
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from ..models import Blob, blob_name

CHUNK = 1024 * 1024


def write_blob_bytes(sha256: str, stream: IO[bytes]) -> None:
    """Write the bytes of a not-yet-committed blob, replacing any leftover of an earlier try."""
    name = blob_name(sha256)
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, File(stream, name=name))
    if saved != name:  # a concurrent writer won the name: same bytes by construction
        default_storage.delete(saved)


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
