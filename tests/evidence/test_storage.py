"""Storing files: SHA-256 and size recorded, immutable, atomic on disk, verifiable; on disk and S3."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from licheng.audit.models import AuditEntry
from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.files import store_upload, used_bytes
from licheng.evidence.domain.validation import EvidenceRejected
from licheng.evidence.models import StoredFile
from licheng.schools.domain.policy import update_policy

from .conftest import upload


def test_store_records_hash_size_and_kind(backend, student):
    data = samples.pdf_bytes("essay", pages=2)
    stored = store_upload(
        upload("報告.pdf", data), rules.DOCUMENT, owner=student, uploaded_by=student.user
    )
    assert (stored.sha256, stored.size, stored.kind, stored.page_count) == (
        hashlib.sha256(data).hexdigest(),
        len(data),
        "pdf",
        2,
    )
    with default_storage.open(stored.storage_name, "rb") as handle:
        assert handle.read() == data
    assert AuditEntry.objects.filter(
        action="evidence.file.store", object_id=str(stored.pk)
    ).exists()


def test_storage_name_is_random_not_the_uploaded_name(backend, student):
    stored = store_upload(
        upload("../../etc/passwd.png", samples.png_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    assert "passwd" not in stored.storage_name and ".." not in stored.storage_name
    assert stored.storage_name.endswith(".png")


def test_same_bytes_twice_are_two_files(backend, student):
    """A stored file is immutable: a second upload of the same bytes never replaces the first."""
    data = samples.png_bytes()
    first = store_upload(
        upload("a.png", data), rules.DOCUMENT, owner=student, uploaded_by=student.user
    )
    second = store_upload(
        upload("a.png", data), rules.DOCUMENT, owner=student, uploaded_by=student.user
    )
    assert first.storage_name != second.storage_name
    assert default_storage.exists(first.storage_name) and default_storage.exists(
        second.storage_name
    )


def test_refused_upload_stores_nothing(backend, student):
    with pytest.raises(EvidenceRejected):
        store_upload(
            upload("a.pdf", b"MZ" + bytes(100)),
            rules.DOCUMENT,
            owner=student,
            uploaded_by=student.user,
        )
    assert StoredFile.objects.count() == 0


def test_quota_counts_stored_bytes_and_refuses_beyond_it(backend, student, school_admin):
    """R34: each student has a storage quota; an upload past it is refused with the figures."""
    update_policy(student.school, actor=school_admin, storage_quota_mb=1)
    big = samples.pdf_bytes(pad_to=700_000)
    store_upload(upload("a.pdf", big), rules.DOCUMENT, owner=student, uploaded_by=student.user)
    assert used_bytes(student) == len(big)
    with pytest.raises(EvidenceRejected) as caught:
        store_upload(upload("b.pdf", big), rules.DOCUMENT, owner=student, uploaded_by=student.user)
    assert caught.value.message.startswith("儲存空間不足：已使用 0.7 MB，上限 1 MB")
    assert StoredFile.objects.count() == 1


def test_default_quota_is_200_mb(student):
    """R34: Taipei's 200 MB per student is the default."""
    from licheng.evidence.domain.files import quota_bytes

    assert quota_bytes(student) == 200 * rules.MB


def test_verify_evidence_passes_on_a_clean_store(backend, student, capsys):
    store_upload(
        upload("a.png", samples.png_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    call_command("verify_evidence")
    assert "OK: 1 stored files verified" in capsys.readouterr().out


def test_verify_evidence_reports_missing_and_corrupt_and_fails(backend, student, capsys):
    kept = store_upload(
        upload("kept.png", samples.png_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    lost = store_upload(
        upload("lost.png", samples.png_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    bad = store_upload(
        upload("bad.jpg", samples.jpg_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    default_storage.delete(lost.storage_name)
    default_storage.delete(bad.storage_name)
    from django.core.files.base import ContentFile

    default_storage.save(bad.storage_name, ContentFile(b"tampered"))
    with pytest.raises(CommandError, match="2 of 3 stored files are missing or corrupt"):
        call_command("verify_evidence")
    out = capsys.readouterr().out
    assert f"MISSING {lost.pk}" in out and f"CORRUPT {bad.pk}" in out and str(kept.pk) not in out


def test_atomic_storage_leaves_no_temporary_files(student, settings, tmp_path):
    store_upload(
        upload("a.pdf", samples.pdf_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    leftovers = [p for p in (tmp_path / "files").rglob("*") if p.name.startswith(".upload-")]
    assert leftovers == []


def test_atomic_storage_failure_mid_write_leaves_nothing_under_the_name(tmp_path):
    """A write that dies half-way (here: the source raises) leaves no file under the final name."""
    from django.core.files.base import File

    from licheng.evidence.storage import AtomicFileSystemStorage

    class Exploding(File):
        def chunks(self, chunk_size=None):
            yield b"half of the"
            raise OSError("disk gone")

    storage = AtomicFileSystemStorage(location=str(tmp_path))
    with pytest.raises(OSError, match="disk gone"):
        storage.save("x/file.pdf", Exploding(None, name="file.pdf"))
    assert not (tmp_path / "x" / "file.pdf").exists()
    assert list((tmp_path / "x").iterdir()) == []
