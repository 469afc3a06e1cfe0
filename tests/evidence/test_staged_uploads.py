"""Uploads received in one pass: staged beside the store, hashed as they arrive, kept by a link."""

from __future__ import annotations

import errno
import hashlib
import io
import os

import pytest
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser

from licheng.devtools import samples
from licheng.devtools.loadrig import multipart
from licheng.evidence import rules
from licheng.evidence.domain.files import file_digest, store_upload
from licheng.evidence.storage import AtomicFileSystemStorage
from licheng.evidence.uploads import HashingUploadHandler, StagedUpload


@pytest.fixture
def staging(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "files" / ".staging")
    return tmp_path / "files" / ".staging"


def receive(data: bytes, name: str = "成果.pdf") -> StagedUpload:
    """Parse a browser's multipart body the way a request does, with the project's handler."""
    content_type, body = multipart({"title": "t"}, {"document": (name, data, "application/pdf")})
    parser = MultiPartParser(
        {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))},
        io.BytesIO(body),
        [load_handler("licheng.evidence.uploads.HashingUploadHandler")],
        "utf-8",
    )
    _post, files = parser.parse()
    return files["document"]


def test_handler_hashes_exactly_the_bytes_it_staged(staging):
    """R10: the SHA-256 known when the body ends is the one of the bytes on disk."""
    data = samples.pdf_bytes("staged", pad_to=3 * HashingUploadHandler.chunk_size + 17)
    staged = receive(data)
    try:
        assert staged.sha256 == hashlib.sha256(data).hexdigest()
        with open(staged.temporary_file_path(), "rb") as handle:
            assert handle.read() == data
        assert os.path.dirname(staged.temporary_file_path()) == str(staging)
    finally:
        staged.close()
    assert list(staging.iterdir()) == []  # closed with the request: nothing left behind


def test_staged_upload_is_kept_by_a_link_and_verifies(staging, student):
    """R10: stored without a copy (same inode), recorded with the right hash, verify passes."""
    data = samples.pdf_bytes("linked", pad_to=1_200_000)
    staged = receive(data)
    inode = os.stat(staged.temporary_file_path()).st_ino
    stored = store_upload(staged, rules.DOCUMENT, owner=student, uploaded_by=student.user)
    from django.core.files.storage import default_storage

    assert os.stat(default_storage.path(stored.storage_name)).st_ino == inode
    staged.close()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert file_digest(stored) == (len(data), stored.sha256)
    assert list(staging.iterdir()) == []


def test_staged_upload_on_another_disk_is_copied(staging, tmp_path, monkeypatch):
    """When the staging folder is elsewhere (link refused across disks) the bytes are copied."""
    data = samples.pdf_bytes("copied", pad_to=600_000)
    staged = receive(data)
    real_link = os.link

    def cross_device(src, dst, *args, **kwargs):
        if src == staged.temporary_file_path():
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", cross_device)
    storage = AtomicFileSystemStorage(location=str(tmp_path / "elsewhere"))
    name = storage.save("2026/11/copied.pdf", staged)
    staged.close()
    with storage.open(name, "rb") as handle:
        assert handle.read() == data
    leftovers = [p.name for p in (tmp_path / "elsewhere").rglob(".upload-*")]
    assert leftovers == []


def test_refused_staged_upload_leaves_nothing(staging, student):
    """R10: a renamed executable is refused; neither the store nor the staging folder keeps it."""
    from licheng.evidence.domain.validation import EvidenceRejected
    from licheng.evidence.models import StoredFile

    staged = receive(b"MZ\x90\x00" + b"\x00" * 5000, name="成果.pdf")
    with pytest.raises(EvidenceRejected):
        store_upload(staged, rules.DOCUMENT, owner=student, uploaded_by=student.user)
    staged.close()
    assert not StoredFile.objects.exists()
    assert list(staging.iterdir()) == []


def test_staged_pdf_with_script_is_refused(staging, student):
    """R10: the script scan over a staged upload (memory-mapped) refuses /JavaScript anywhere."""
    from licheng.evidence.domain.validation import EvidenceRejected

    clean = samples.pdf_bytes("script", pad_to=700_000)
    cut = len(clean) // 2
    staged = receive(clean[:cut] + b"/JavaScript" + clean[cut + 11 :])
    with pytest.raises(EvidenceRejected, match="程式碼"):
        store_upload(staged, rules.DOCUMENT, owner=student, uploaded_by=student.user)
    staged.close()


def test_staged_pdf_is_parsed_from_its_mapping(staging, student):
    """R10: a staged PDF is parsed from the memory-mapped file, every page counted."""
    staged = receive(samples.pdf_bytes(pages=3))
    stored = store_upload(staged, rules.DOCUMENT, owner=student, uploaded_by=student.user)
    staged.close()
    assert stored.page_count == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 10 + b"%%EOF\n", "PDF 檔案損毀，無法開啟"),
        ("encrypted", "PDF 已加密或設有密碼，請移除密碼後再上傳"),
    ],
)
def test_staged_broken_or_encrypted_pdf_is_refused(staging, student, data, message):
    """R10: the mapped parse refuses what the stream parse refuses, and leaves nothing behind."""
    from pypdf import PdfReader, PdfWriter

    from licheng.evidence.domain.validation import EvidenceRejected
    from licheng.evidence.models import StoredFile

    if data == "encrypted":
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf_bytes())))
        writer.encrypt("secret")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    staged = receive(data)
    with pytest.raises(EvidenceRejected) as refused:
        store_upload(staged, rules.DOCUMENT, owner=student, uploaded_by=student.user)
    staged.close()
    assert refused.value.message == message
    assert not StoredFile.objects.exists() and list(staging.iterdir()) == []


@pytest.mark.parametrize("staged_here", [True, False], ids=["linked", "copied"])
def test_stored_file_is_fsynced_before_its_pages_are_dropped(
    staging, tmp_path, monkeypatch, staged_here
):
    """R10: a stored file is durable (fsynced) first; only then are its clean pages dropped
    from the page cache, whether it was linked from staging or copied."""
    data = samples.pdf_bytes("durable", pad_to=300_000)
    staged = receive(data)
    calls: list[tuple[str, int]] = []
    real_fsync, real_fadvise = os.fsync, os.posix_fadvise
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(("fsync", fd)), real_fsync(fd))[1])

    def fadvise(fd, offset, length, advice):
        calls.append(("drop" if advice == os.POSIX_FADV_DONTNEED else "other", fd))
        return real_fadvise(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", fadvise)
    location = staging.parent if staged_here else tmp_path / "elsewhere"
    storage = AtomicFileSystemStorage(location=str(location))
    name = storage.save("2026/12/durable.pdf", staged)
    staged.close()
    drops = [fd for what, fd in calls if what == "drop"]
    assert len(drops) == 1
    dropped_fd = drops[0]
    assert calls.index(("fsync", dropped_fd)) < calls.index(("drop", dropped_fd))
    with storage.open(name, "rb") as handle:
        assert handle.read() == data  # dropping pages loses nothing: they were on disk


def test_a_system_without_posix_fadvise_still_stores_durably(staging, tmp_path, monkeypatch):
    """macOS has no posix_fadvise: the file is fsynced and kept all the same."""
    monkeypatch.delattr(os, "posix_fadvise")
    data = samples.pdf_bytes("mac", pad_to=200_000)
    staged = receive(data)
    storage = AtomicFileSystemStorage(location=str(staging.parent))
    name = storage.save("2026/12/mac.pdf", staged)
    staged.close()
    with storage.open(name, "rb") as handle:
        assert handle.read() == data
