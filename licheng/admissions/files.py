"""Files uploaded on the admission platform (考生上傳檔案), behind one small module.

Everything that stores or opens an admission file goes through here. Uploads are kept by the
evidence app (``StoredFile``): the same content checks as every portfolio file (kind by content,
real parse, no polyglots), atomic writes, SHA-256, and the student's storage quota (R34). Stored
files are never overwritten, so a released package keeps pointing at exactly the bytes sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.missing import StoredFileMissing, report_missing
from licheng.evidence.domain.validation import EvidenceRejected
from licheng.evidence.enums import FileKind
from licheng.evidence.models import StoredFile
from licheng.evidence.rules import KindRules
from licheng.schools.models import Student

MB = 1024 * 1024
MAX_DOCUMENT_BYTES = 4 * MB  # as for portfolio documents (R10)
MAX_PORTFOLIO_PDF_BYTES = 10 * MB  # applicants without a central portfolio (R39)

KINDS = {
    "application/pdf": FileKind.PDF,
    "image/png": FileKind.PNG,
    "image/jpeg": FileKind.JPG,
}


class FileRejected(ValueError):
    pass


@dataclass(frozen=True)
class StoredUpload:
    path: str
    name: str
    content_type: str
    size: int
    sha256: str
    stored_file: StoredFile


def store(
    upload: IO[bytes],
    *,
    name: str,
    allowed: tuple[str, ...],
    max_bytes: int,
    owner: Student | None,
    uploaded_by: Any,
) -> StoredUpload:
    """Validate and keep an uploaded file; raises ``FileRejected`` with a message for the student."""
    rules = KindRules({KINDS[t]: max_bytes for t in allowed})
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    try:
        stored = store_upload(
            UploadedFile(upload, name=name, size=size), rules, owner=owner, uploaded_by=uploaded_by
        )
    except EvidenceRejected as exc:
        raise FileRejected(f"「{name}」{exc}") from None
    return StoredUpload(
        path=stored.storage_name,
        name=stored.original_name[-200:],
        content_type=FileKind(stored.kind).content_type,
        size=stored.size,
        sha256=stored.sha256,
        stored_file=stored,
    )


def open_stored(path: str) -> IO[bytes]:
    """The bytes at ``path``; gone from storage, they are reported and ``StoredFileMissing``
    (which names the file) is raised, as for every stored file (evidence/domain/missing.py)."""
    try:
        return default_storage.open(path, "rb")
    except FileNotFoundError:
        stored = StoredFile.objects.filter(storage_name=path).first()
        if stored is None:
            raise
        report_missing(stored)
        raise StoredFileMissing(stored) from None
