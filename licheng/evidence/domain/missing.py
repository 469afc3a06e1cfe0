"""A stored file whose row is there and whose bytes are not (檔案遺失).

Losing a stored file is what this platform exists to prevent (docs/evidence.md); when it happens
anyway (a disk lost, a bucket emptied by hand), every reader says so the same way: CRITICAL in
the log, so that it pages someone, with the file's number and storage name for the restore
(`manage.py verify_evidence` lists them all); and, to the person who asked, which file it is.
"""

from __future__ import annotations

import logging
from typing import IO

from django.core.files.storage import default_storage

from ..models import StoredFile

log = logging.getLogger("licheng.evidence")


class StoredFileMissing(FileNotFoundError):
    """Raised by ``open_stored``; ``str()`` is a zh-Hant sentence for the school (it is kept in
    job messages, which stay in the source language)."""

    def __init__(self, stored: StoredFile):
        self.stored = stored
        super().__init__(
            f"平臺讀不到檔案「{stored.original_name}」（檔案編號 {stored.pk}）："
            "請系統管理者從備份還原這個檔案後再試一次"
        )


def report_missing(stored: StoredFile) -> None:
    log.critical(
        "stored file %s is missing from storage (name %s); restore it from a backup",
        stored.pk,
        stored.storage_name,
    )


def open_stored(stored: StoredFile) -> IO[bytes]:
    """The stored bytes, to read; gone from storage, they are reported and ``StoredFileMissing``
    is raised."""
    try:
        return default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError:
        report_missing(stored)
        raise StoredFileMissing(stored) from None
