"""Storing an upload (存證): validate, write atomically, record its SHA-256, audit (R10, R16, R34)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.lib.rows import insert_new
from licheng.schools.domain.locks import lock_student
from licheng.schools.domain.policy import policy_of
from licheng.schools.models import SchoolPolicy, Student

from ..models import StoredFile
from ..rules import MB, KindRules, megabytes
from .rollback import note_written
from .validation import CHUNK, EvidenceRejected, inspect_upload


def used_bytes(student: Student) -> int:
    """Bytes of stored files counted against the student's quota (R34)."""
    total = StoredFile.objects.filter(owner=student).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def quota_bytes(student: Student, policy: SchoolPolicy | None = None) -> int:
    return (policy or policy_of(student.school)).storage_quota_mb * MB


def _check_quota(
    student: Student, size: int, policy: SchoolPolicy | None = None, used: int | None = None
) -> None:
    used = used_bytes(student) if used is None else used
    quota = quota_bytes(student, policy)
    if used + size > quota:
        raise EvidenceRejected(
            _("儲存空間不足：已使用 %(used)s，上限 %(quota)s，此檔案 %(size)s")
            % {"used": megabytes(used), "quota": megabytes(quota), "size": megabytes(size)}
        )


def store_upload(
    upload: UploadedFile | File,
    rules: KindRules,
    *,
    owner: Student | None,
    uploaded_by: Any,
    owner_locked: bool = False,
    policy: SchoolPolicy | None = None,
    used: int | None = None,
    within_quota: bool = True,
) -> StoredFile:
    """Validate ``upload`` against ``rules`` and keep it for good; raise ``EvidenceRejected``.

    The bytes are written (atomically, see storage.py) before the row is created: a crash in
    between leaves an unreferenced file, never a row pointing at nothing. ``owner`` is the
    student whose quota it counts against (None for organizer imports, R19). A caller that
    already holds the owner's row lock in its transaction (and has the school's policy at hand)
    says so, which saves two queries per upload on deadline day; one that also read the bytes
    the owner uses under that lock passes them as ``used`` (one query fewer again).

    ``within_quota=False`` keeps a file the student already had on their previous school's
    platform (R38): it is theirs and counts toward their quota from now on, but it is not a new
    upload, so a full quota (R34) must not make a transfer lose it.
    """
    name = upload.name or ""
    inspection = inspect_upload(upload, name, upload.size or 0, rules)
    storage_name = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{inspection.kind.value}"
    storage_name = default_storage.save(storage_name, upload)
    quota_owner = owner if within_quota else None
    try:
        # A caller holding the lock is inside its own transaction and fails as a whole on any
        # error, so no savepoint is needed then (two statements fewer per upload).
        with transaction.atomic(savepoint=not owner_locked):
            if quota_owner is not None:
                # R34 under the student's row lock, so two concurrent uploads cannot both pass.
                # Checked once, after the bytes are written: a refusal removes them again, which
                # is rarer and cheaper than checking twice on every upload.
                if not owner_locked:
                    lock_student(quota_owner)
                _check_quota(quota_owner, inspection.size, policy, used if owner_locked else None)
            stored = StoredFile(
                storage_name=storage_name,
                original_name=name[-255:],
                sha256=inspection.sha256,
                size=inspection.size,
                kind=inspection.kind,
                page_count=inspection.page_count,
                uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
                owner=owner,
            )
            insert_new(stored)  # every upload: the statement written once (lib/rows.py)
            record(
                "evidence.file.store",
                actor=uploaded_by,
                obj=stored,
                school=owner.school if owner else None,
                after={"sha256": stored.sha256, "size": stored.size, "kind": stored.kind},
            )
    except BaseException:
        # Nothing refers to the bytes yet; removing them keeps the store free of orphans.
        default_storage.delete(storage_name)
        raise
    note_written(storage_name)  # so a later failure of the caller removes the bytes too
    return stored


def file_digest(stored: StoredFile) -> tuple[int, str]:
    """Size and SHA-256 of the bytes the storage holds now, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(stored.storage_name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
