"""manage.py backup / restore: never lose a file — proven by backup → wipe → restore → verify."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from licheng.accounts.models import User
from licheng.audit.models import AuditEntry
from licheng.ops import snapshot
from licheng.schools.models import School, Student


@pytest.fixture
def backup_dir(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def stored_files(db):
    """A few stored files, one in a nested folder and two with the same bytes."""
    names = {
        "evidence/2026/a.pdf": b"%PDF-1.7 outcome " * 500,
        "evidence/2026/b/photo.jpg": b"\xff\xd8\xff jpeg bytes",
        "evidence/2026/copy.pdf": b"%PDF-1.7 outcome " * 500,
    }
    for name, data in names.items():
        assert default_storage.save(name, ContentFile(data)) == name
    return names


def contents() -> dict[str, list]:
    """Every row of every table, field by field (Python values: full precision)."""
    from django.core import serializers

    return {
        m._meta.label_lower: serializers.serialize("python", m._default_manager.order_by("pk"))
        for m in snapshot.backed_up_models()
        if m._meta.label_lower != "audit.auditentry"
    }


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in snapshot.backed_up_models()}


def test_backup_wipe_restore_verifies_every_file_and_row(
    student, other_student, stored_files, backup_dir, capsys
):
    """Never lose a file: backup → wipe (rows deleted, files deleted or damaged) → restore → verify."""
    from django.contrib.auth.models import Group

    Group.objects.create(name="承辦人").user_set.add(student.user)  # a many-to-many row
    before = counts()
    rows_before = contents()
    call_command("backup")
    generation = snapshot.generations(backup_dir)[-1]

    # Wipe: students and schools gone, one file deleted, one overwritten with other bytes.
    Student.objects.all().delete()
    User.objects.filter(username=student.user.username).delete()
    default_storage.delete("evidence/2026/a.pdf")
    default_storage.delete("evidence/2026/b/photo.jpg")
    default_storage.save("evidence/2026/b/photo.jpg", ContentFile(b"tampered"))
    assert counts() != before

    call_command("restore", generation, "--no-input")
    out = capsys.readouterr().out
    assert "驗證通過：3 個檔案的 SHA-256" in out

    after = counts()
    after["audit.auditentry"] -= 1  # the restore's own audit entry
    assert after == before
    assert contents() == rows_before  # every field of every row, not just the counts
    for name, data in stored_files.items():
        with default_storage.open(name, "rb") as fh:
            assert fh.read() == data
    restored = Student.objects.get(pk=student.pk).user
    assert restored.username == student.user.username
    assert [g.name for g in restored.groups.all()] == ["承辦人"]
    assert AuditEntry.objects.filter(action="ops.restored").count() == 1


def test_backup_stores_identical_files_once(stored_files, backup_dir):
    manifest = snapshot.create(backup_dir, default_storage)
    objects = [p for p in (backup_dir / "objects").rglob("*") if p.is_file()]
    assert len(manifest.files) == 3
    assert len(objects) == 2  # a.pdf and copy.pdf share one object


def test_backup_skips_uploads_in_flight(stored_files, backup_dir):
    """An upload still arriving (staged as .upload-…) has no row and may vanish mid-copy: the
    backup leaves it out instead of failing on deadline night."""
    default_storage.save(".staging/.upload-abc.staged", ContentFile(b"half an upload"))
    default_storage.save("2026/11/.upload-def.part", ContentFile(b"a write in progress"))
    manifest = snapshot.create(backup_dir, default_storage)
    assert len(manifest.files) == 3
    assert not any(".upload-" in name for name in manifest.files)


def test_manifest_lists_row_count_and_checksum_of_every_table(student, backup_dir):
    manifest = snapshot.create(backup_dir, default_storage)
    data = json.loads((backup_dir / manifest.generation / "manifest.json").read_text())
    assert data["tables"]["schools.student"]["rows"] == Student.objects.count()
    assert data["tables"]["schools.school"]["rows"] == School.objects.count()
    for entry in data["tables"].values():
        path = backup_dir / manifest.generation / entry["file"]
        assert snapshot.sha256_file(path) == entry["sha256"]


def test_restore_refuses_a_damaged_backup_and_changes_nothing(student, stored_files, backup_dir):
    manifest = snapshot.create(backup_dir, default_storage)
    sha = manifest.files["evidence/2026/a.pdf"]["sha256"]
    snapshot.object_path(backup_dir, sha).write_bytes(b"bit rot")
    Student.objects.all().delete()
    before = counts()

    with pytest.raises(CommandError, match="備份本身有問題，未做任何變更"):
        call_command("restore", manifest.generation, "--no-input")
    assert counts() == before


def test_restore_refuses_a_damaged_table_dump(student, backup_dir):
    manifest = snapshot.create(backup_dir, default_storage)
    dump = backup_dir / manifest.generation / "db" / "schools.student.jsonl"
    dump.write_text(dump.read_text().replace("陳小明", "王大明"))
    with pytest.raises(CommandError, match="schools.student.jsonl 已損毀"):
        call_command("restore", manifest.generation, "--no-input")
    assert Student.objects.get(pk=student.pk).user.full_name == "陳小明"


def test_check_only_names_the_file_and_table_that_differ(student, stored_files, backup_dir):
    manifest = snapshot.create(backup_dir, default_storage)
    default_storage.delete("evidence/2026/copy.pdf")
    default_storage.save("evidence/2026/copy.pdf", ContentFile(b"changed"))
    Student.objects.all().delete()

    result = snapshot.verify(manifest, default_storage)
    assert not result.ok
    assert "檔案 evidence/2026/copy.pdf 的 SHA-256 與備份清單不符" in result.problems
    assert any(p.startswith("資料表 schools.student 有 0 筆") for p in result.problems)
    with pytest.raises(CommandError, match="驗證未通過"):
        call_command("restore", manifest.generation, "--check-only")


def test_restore_without_any_backup_says_so(backup_dir):
    with pytest.raises(CommandError, match="沒有任何完整的備份世代"):
        call_command("restore", "--no-input")


def test_prune_keeps_the_newest_generations_and_their_objects(db, backup_dir):
    default_storage.save("old.txt", ContentFile(b"old"))
    first = snapshot.create(backup_dir, default_storage)
    default_storage.delete("old.txt")
    default_storage.save("new.txt", ContentFile(b"new"))
    second = snapshot.create(backup_dir, default_storage)
    third = snapshot.create(backup_dir, default_storage)

    dropped = snapshot.prune(backup_dir, keep=2)

    assert dropped == [first.generation]
    assert snapshot.generations(backup_dir) == [second.generation, third.generation]
    assert not snapshot.object_path(backup_dir, first.files["old.txt"]["sha256"]).exists()
    assert snapshot.object_path(backup_dir, third.files["new.txt"]["sha256"]).exists()


def test_backup_reports_a_file_record_whose_bytes_changed():
    """Rows that record a file's SHA-256 (evidence.StoredFile) must match the stored bytes."""
    expected = {"evidence.storedfile": ("storage_name", {"a.pdf": "1" * 64, "gone.pdf": "2" * 64})}
    files = {"a.pdf": {"sha256": "f" * 64, "size": 3}}
    problems = snapshot._check_file_records(expected, files)
    assert problems == [
        "evidence.storedfile storage_name=a.pdf：SHA-256 與資料庫紀錄不符",
        "evidence.storedfile storage_name=gone.pdf：儲存空間中沒有這個檔案",
    ]


def test_restore_keeps_timestamps_to_the_microsecond(db, backup_dir):
    """Django's own dumpdata cuts times to milliseconds; the backup must not."""
    import datetime as dt

    entry = AuditEntry.objects.create(action="test.precise")
    exact = dt.datetime(2026, 3, 5, 1, 2, 3, 456789, tzinfo=dt.UTC)
    AuditEntry.objects.filter(pk=entry.pk).update(at=exact)
    manifest = snapshot.create(backup_dir, default_storage)
    AuditEntry.objects.all().delete()
    snapshot.restore(backup_dir, manifest.generation, default_storage)
    assert AuditEntry.objects.get(pk=entry.pk).at == exact


@pytest.fixture
def evidence_file(student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.devtools import samples
    from licheng.evidence import rules
    from licheng.evidence.domain.files import store_upload

    return store_upload(
        SimpleUploadedFile("成果.pdf", samples.pdf_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )


def test_stored_evidence_survives_backup_wipe_restore(evidence_file, backup_dir):
    """Never lose a file: evidence.StoredFile rows and their bytes come back, SHA-256 checked."""
    from licheng.evidence.domain.files import file_digest
    from licheng.evidence.models import StoredFile

    manifest = snapshot.create(backup_dir, default_storage)
    assert manifest.problems == []
    assert manifest.files[evidence_file.storage_name]["sha256"] == evidence_file.sha256

    default_storage.delete(evidence_file.storage_name)
    StoredFile.objects.all().delete()
    _, result = snapshot.restore(backup_dir, manifest.generation, default_storage)

    assert result.ok, result.problems
    restored = StoredFile.objects.get(pk=evidence_file.pk)
    assert file_digest(restored) == (evidence_file.size, evidence_file.sha256)


def test_backup_names_an_evidence_file_whose_bytes_changed(evidence_file, backup_dir):
    default_storage.delete(evidence_file.storage_name)
    default_storage.save(evidence_file.storage_name, ContentFile(b"%PDF-1.7 not the same"))
    manifest = snapshot.create(backup_dir, default_storage)
    assert manifest.problems == [
        f"evidence.storedfile storage_name={evidence_file.storage_name}：SHA-256 與資料庫紀錄不符"
    ]
