"""Organizers (主辦機構), their API keys and the results they import (R19).

The central administrator registers organizers and issues and revokes their keys; an organizer's
system imports results with a key, and corrects a result it imported by sending the same record
id again with the right content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.schools.models import Student

from ..categories import clean_details
from ..enums import KeptReason
from ..models import Organizer, OrganizerKey, Performance
from . import PortfolioError
from .history import keep_item_files
from .performance_edits import _snapshot, sent_to_central
from .performances import _store_files, _validate, import_organizer_result

KEY_PREFIX = "lck_"


def hash_key(raw: str) -> str:
    # Keys are 256-bit random strings, so a plain SHA-256 (no salt, no stretching) is enough and
    # lets each API call find its key with one indexed lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_organizer(*, name: str, contact_email: str = "", actor: Any) -> Organizer:
    """Register an organizer (新增主辦機構)."""
    name = name.strip()
    if not name:
        raise PortfolioError(_("請填寫機構名稱"), "name")
    if Organizer.objects.filter(name=name).exists():
        raise PortfolioError(_("已有同名的主辦機構"), "name")
    organizer = Organizer.objects.create(name=name, contact_email=contact_email)
    record("portfolio.organizer.create", actor=actor, obj=organizer, after={"name": name})
    return organizer


@transaction.atomic
def issue_key(organizer: Organizer, *, label: str = "", actor: Any) -> tuple[OrganizerKey, str]:
    """Issue a new API key (核發金鑰); the raw key is returned once and never stored."""
    prefix = secrets.token_hex(4)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = OrganizerKey.objects.create(
        organizer=organizer,
        prefix=prefix,
        key_hash=hash_key(raw),
        label=label[:100],
        created_by=actor,
    )
    record(
        "portfolio.organizer_key.issue",
        actor=actor,
        obj=key,
        after={"organizer": organizer.pk, "prefix": prefix},
    )
    return key, raw


@transaction.atomic
def revoke_key(key: OrganizerKey, *, actor: Any) -> OrganizerKey:
    """Revoke a key (撤銷金鑰): calls with it are refused from now on."""
    key = OrganizerKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record("portfolio.organizer_key.revoke", actor=actor, obj=key, after={"prefix": key.prefix})
    return key


def open_key(raw: str) -> OrganizerKey:
    """The active key matching ``raw``; a PortfolioError saying why not, in zh-Hant.

    A revoked key is told so: whoever sends it held a real key and needs a new one. A missing or
    unknown key gets one message that says nothing about which keys exist.
    """
    if not raw:
        raise PortfolioError(_("缺少 API 金鑰：請在 X-API-Key 標頭送出中央管理者核發的金鑰"))
    key = (
        OrganizerKey.objects.select_related("organizer").filter(key_hash=hash_key(raw)).first()
        if raw.startswith(KEY_PREFIX)
        else None
    )
    if key is None:
        raise PortfolioError(_("API 金鑰無效：請確認 X-API-Key 標頭是中央管理者核發的完整金鑰"))
    if key.revoked_at is not None:
        raise PortfolioError(
            _("此 API 金鑰已於 %(day)s 撤銷，不能再使用；請向中央管理者申請新的金鑰")
            % {"day": timezone.localdate(key.revoked_at).isoformat()}
        )
    OrganizerKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def authenticate_key(raw: str) -> OrganizerKey | None:
    """The active key matching ``raw``, or None."""
    try:
        return open_key(raw)
    except PortfolioError:
        return None


ImportStatus = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class ImportResult:
    """What became of one result an organizer sent: its item, created, corrected or as it was;
    ``changed`` names the corrected fields as the API calls them."""

    performance: Performance
    status: ImportStatus
    changed: tuple[str, ...] = ()


def _imported(organizer: Organizer, record_id: str) -> Performance | None:
    return (
        Performance.objects.select_for_update()
        .filter(organizer=organizer, organizer_record_id=record_id)
        .first()
    )


@bytes_follow_rows
@transaction.atomic
def receive_organizer_result(
    organizer: Organizer,
    *,
    record_id: str,
    student: Student,
    category: str,
    title: str,
    activity_date: dt.date | None,
    details: dict[str, Any],
    description: str = "",
    link: str = "",
    files: list[UploadedFile] | None = None,
    key_label: str = "",
) -> ImportResult:
    """Import one result (主辦機構匯入, R19), or correct the one imported with this record id.

    The organizer's record id names the result: the first time it is imported, the same content
    again changes nothing, different content is a correction (``correct_organizer_result``).
    """
    record_id = record_id.strip()
    fields: dict[str, Any] = {
        "category": category,
        "title": title,
        "activity_date": activity_date,
        "details": details,
        "description": description,
        "link": link,
        "files": files,
        "key_label": key_label,
    }
    existing = _imported(organizer, record_id) if record_id else None
    if existing is None:
        # The same record id sent twice at once (a retry after a timeout): the other call may
        # create it after the lookup above — seen by the import's own lookup ("not created"), or
        # at the insert as a unique-key error (the import ran in its own save point, so this
        # transaction is still usable). Either way this call is a resend of it, judged like
        # any resend: unchanged, or a correction.
        try:
            performance, created = import_organizer_result(
                organizer, record_id=record_id, student=student, **fields
            )
            if created:
                return ImportResult(performance, "created")
        except IntegrityError:
            if _imported(organizer, record_id) is None:
                raise  # another constraint than the record id's
        existing = _imported(organizer, record_id)
        assert existing is not None  # nosec B101 - just found by the import or at the insert
    return correct_organizer_result(existing, student=student, **fields)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@bytes_follow_rows
@transaction.atomic
def correct_organizer_result(
    performance: Performance,
    *,
    student: Student,
    category: str,
    title: str,
    activity_date: dt.date | None,
    details: dict[str, Any],
    description: str = "",
    link: str = "",
    files: list[UploadedFile] | None = None,
    key_label: str = "",
) -> ImportResult:
    """Apply an organizer's correction to a result it imported (更正匯入結果, R19).

    The item is the organizer's, not the student's (the student cannot change it), so the
    organizer may correct its category, fields, date, description, link and proof file; the
    same content again is ``unchanged``. No file sent keeps the proof file; a different one
    replaces it and the old one is kept (舊版檔案) like any replaced file. Refused: moving the
    result to another student, and changing an item the school already sent to the central
    repository (that copy is frozen). Audited with the content before and after.
    """
    performance = (
        Performance.objects.select_for_update()
        .select_related("student__school")
        .get(pk=performance.pk)
    )
    if performance.student_id != student.pk:
        raise PortfolioError(
            _(
                "此紀錄編號已匯入給另一位學生，更正不能改變學生；"
                "若當初匯入的學生有誤，請與該生的學校聯繫"
            ),
            "record_id",
        )
    uploads = files or []
    current = list(performance.files.all())
    proposed: dict[str, Any] = {
        "category": category,
        "title": title.strip(),
        "activity_date": activity_date,
        "details": clean_details(category, details)[0],
        "description": description.strip(),
        "link": link,
    }
    changed = [name for name, value in proposed.items() if getattr(performance, name) != value]
    if uploads and {_sha256(u) for u in uploads} != {f.sha256 for f in current}:
        changed.append("file")
    if not changed:
        return ImportResult(performance, "unchanged")
    if sent_to_central(performance):
        raise PortfolioError(
            _("此項目已由學校提交至中央資料庫，不能再更正；如需更正，請與該生的學校聯繫"),
            "record_id",
        )
    cleaned, day = _validate(
        student,
        category=category,
        title=title,
        activity_date=activity_date,
        details=details,
        description=description,
        link=link,
    )
    before = _snapshot(performance)
    if "file" in changed:
        # Files an organizer sends count against no one's storage quota (owner=None).
        stored = _store_files(uploads, student, None, owner=None)
        keep_item_files(current, item=performance, reason=KeptReason.REPLACED, actor=None)
        performance.files.set(stored)
    performance.category = category
    performance.title = title.strip()
    performance.activity_date = day
    performance.details = cleaned
    performance.description = description.strip()
    performance.link = link
    performance.save()
    organizer = performance.organizer
    assert organizer is not None  # nosec B101 - only an organizer's import is corrected here
    record(
        "portfolio.performance.import_correct",
        obj=performance,
        school=student.school,
        actor_label=organizer.audit_label(key_label),
        before=before,
        after={**_snapshot(performance), "record_id": performance.organizer_record_id},
    )
    return ImportResult(performance, "updated", tuple(changed))
