"""Files uploaded on the admission platform (考生上傳檔案), behind one small module.

Everything that stores or opens an admission file goes through here, so moving to the evidence
app's stored files is a change in this module only. Files are content-addressed (SHA-256) and
never overwritten: a released package keeps pointing at exactly the bytes the student sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.core.files.base import File
from django.core.files.storage import default_storage

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024  # as for portfolio documents (R10)
MAX_PORTFOLIO_PDF_BYTES = 10 * 1024 * 1024  # applicants without a central portfolio (R39)

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}


class FileRejected(ValueError):
    pass


@dataclass(frozen=True)
class StoredUpload:
    path: str
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type the bytes really are (the browser's claim is not trusted)."""
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def store(
    upload: IO[bytes], *, name: str, allowed: tuple[str, ...], max_bytes: int
) -> StoredUpload:
    """Validate and keep an uploaded file; raises ``FileRejected`` with a message for the student."""
    head = upload.read(16)
    content_type = sniff(head)
    if content_type not in allowed:
        kinds = "、".join(TYPE_LABELS[t] for t in allowed)
        raise FileRejected(f"「{name}」不是允許的檔案格式（限 {kinds}）")
    digest = hashlib.sha256(head)
    size = len(head)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FileRejected(f"「{name}」超過 {max_bytes // (1024 * 1024)} MB 上限")
    sha = digest.hexdigest()
    path = f"admissions/{sha[:2]}/{sha}.{EXTENSIONS[content_type]}"
    if not default_storage.exists(path):
        upload.seek(0)
        saved = default_storage.save(path, File(upload, name=path))
        # Content addressing: the same bytes land on the same path, never a renamed copy.
        assert saved == path, saved
    return StoredUpload(
        path=path, name=name[:200], content_type=content_type, size=size, sha256=sha
    )


def open_stored(path: str) -> IO[bytes]:
    return default_storage.open(path, "rb")
