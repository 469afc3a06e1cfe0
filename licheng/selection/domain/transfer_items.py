"""The items of a transfer in (轉入, R38): course learning outcomes and diverse performances
recreated in their state, with their files checked and kept as evidence.

``transfer_in.receive_transfer`` calls these inside its transaction; everything here either
refuses an item before anything is written (``check_item``) or creates what is missing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from functools import cache
from typing import IO, Any, cast

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.evidence import rules as file_rules
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.validation import EvidenceRejected, extension_of
from licheng.evidence.enums import CONTENT_TYPES
from licheng.evidence.models import StoredFile
from licheng.lib.exchange import CHUNK, HashingReader, PackageError
from licheng.lib.i18n import source_language
from licheng.portfolio.enums import (
    OutcomeState,
    PerformanceCategory,
    PerformanceSource,
    PerformanceState,
)
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.models import IncomingTransfer, Student

KIND_OF = {content_type: kind for kind, content_type in CONTENT_TYPES.items()}


@cache
def category_of() -> dict[str, str]:
    """A category as another platform may send it: its value, or its zh-Hant label (the
    labels are translated for pages, so they are read here in the source language)."""
    with source_language():
        labels = {str(label): value for value, label in PerformanceCategory.choices}
    return {**labels, **{value: value for value in PerformanceCategory.values}}


OUTCOME_TITLE_MAX = cast(int, LearningOutcome._meta.get_field("title").max_length)
PERFORMANCE_TITLE_MAX = cast(int, Performance._meta.get_field("title").max_length)
SPOOL_IN_MEMORY = 1024 * 1024  # larger files go to a temporary file while they are checked


class TransferError(PackageError):
    """A transfer this school cannot receive; the message says why in the user's language."""


def check_item(item: dict[str, Any]) -> None:
    """Refuse, before anything is written, an item this platform cannot hold as it was sent."""
    where = _("項目 %(id)s「%(title)s」") % {"id": item["id"], "title": item["title"]}
    if item["type"] == "course_outcome":
        state = _outcome_state(item)
        if state not in OutcomeState.values:
            raise TransferError(
                _("%(where)s：狀態 %(state)s 不明") % {"where": where, "state": state}
            )
        if state == OutcomeState.CERTIFIED and not item.get("certified_on"):
            raise TransferError(_("%(where)s：已認證卻沒有認證日期") % {"where": where})
        if len(item["title"]) > OUTCOME_TITLE_MAX:
            raise TransferError(
                _("%(where)s：成果名稱超過 %(n)s 字") % {"where": where, "n": OUTCOME_TITLE_MAX}
            )
        kinds = [KIND_OF[f["content_type"]].is_media for f in item["files"]]
        if not kinds or kinds.count(True) > 1 or kinds.count(False) > 1:
            raise TransferError(
                _("%(where)s：課程學習成果須有一個文件檔、一個影音檔或各一個") % {"where": where}
            )
        return
    state = item.get("state") or PerformanceState.SUBMITTED
    if state not in PerformanceState.values:
        raise TransferError(_("%(where)s：狀態 %(state)s 不明") % {"where": where, "state": state})
    if item["category"] not in category_of():
        raise TransferError(
            _("%(where)s：多元表現類別 %(category)s 不明")
            % {"where": where, "category": item["category"]}
        )
    if not item.get("activity_date"):
        raise TransferError(_("%(where)s：缺少活動日期") % {"where": where})
    if len(item["title"]) > PERFORMANCE_TITLE_MAX:
        raise TransferError(
            _("%(where)s：名稱超過 %(n)s 字") % {"where": where, "n": PERFORMANCE_TITLE_MAX}
        )


def _outcome_state(item: dict[str, Any]) -> str:
    # A package without states (an annual package's habit) carries certified outcomes only.
    return item.get("state") or (
        OutcomeState.CERTIFIED if item.get("certified_on") else OutcomeState.SUBMITTED
    )


def read_checked(
    open_file: Callable[[str], IO[bytes]], entry: dict[str, Any], out: IO[bytes]
) -> None:
    """Copy the bytes of the file ``entry`` lists to ``out``, read once and hashed on the way;
    ``TransferError`` unless they are exactly the listed file (size and SHA-256)."""
    try:
        with open_file(entry["sha256"]) as stream:
            reader = HashingReader(stream)
            while reader.size <= entry["size"] and (chunk := reader.read(CHUNK)):
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise TransferError(_("檔案 %(name)s 無法讀取") % {"name": entry["name"]}) from exc
    reader.check(entry["sha256"], entry)  # PackageError: the bytes are not the listed file


class FileCopies:
    """Each listed file copied once into the evidence store, after its SHA-256 is checked."""

    def __init__(
        self,
        open_file: Callable[[str], IO[bytes]],
        student: Student,
        actor: Any,
        made: list[StoredFile],
    ) -> None:
        self.open_file, self.student, self.actor, self.made = open_file, student, actor, made
        self.by_sha256: dict[str, StoredFile] = {}

    def get(self, entry: dict[str, Any]) -> StoredFile:
        sha256 = entry["sha256"]
        if sha256 not in self.by_sha256:
            self.by_sha256[sha256] = self._copy(entry)
        return self.by_sha256[sha256]

    def _copy(self, entry: dict[str, Any]) -> StoredFile:
        kind = KIND_OF[entry["content_type"]]
        name = entry["name"]
        if file_rules.EXTENSIONS.get(extension_of(name)) != kind:
            name = f"{name}.{kind.value}"  # this platform checks the extension against the content
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            read_checked(self.open_file, entry, spool)
            try:
                stored = store_upload(
                    File(spool, name=name),
                    file_rules.PROOF,
                    owner=self.student,
                    uploaded_by=self.actor,
                    within_quota=False,
                )
            except EvidenceRejected as exc:
                raise TransferError(
                    _("檔案 %(name)s：%(reason)s") % {"name": entry["name"], "reason": exc.message}
                ) from None
        self.made.append(stored)
        return stored


def _new_items(
    items: Iterable[dict[str, Any]], kind: str, have: Iterable[str]
) -> list[dict[str, Any]]:
    known = set(have)
    return [i for i in items if i["type"] == kind and i["id"] not in known]


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _certified_at(item: dict[str, Any]) -> dt.datetime:
    # The format carries the date; midnight here gives the same date back when re-exported.
    day = dt.date.fromisoformat(item["certified_on"])
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def recreate_outcomes(
    transfer: IncomingTransfer, items: list[dict[str, Any]], files: FileCopies
) -> int:
    have = transfer.outcomes.values_list("transfer_item_id", flat=True)
    new = _new_items(items, "course_outcome", have)
    for item in new:
        state = _outcome_state(item)
        slots = {KIND_OF[f["content_type"]].is_media: files.get(f) for f in item["files"]}
        LearningOutcome.objects.create(
            student=transfer.student,
            course=None,
            academic_year=item["academic_year"],
            semester=item["semester"],
            title=item["title"],
            description=item["description"],
            document=slots.get(False),
            media=slots.get(True),
            state=state,
            certified_at=_certified_at(item) if state == OutcomeState.CERTIFIED else None,
            certified_by_name=item.get("certified_by_name", "")
            if state == OutcomeState.CERTIFIED
            else "",
            return_reason=item.get("return_reason", "") if state == OutcomeState.RETURNED else "",
            return_note=item.get("return_note", "") if state == OutcomeState.RETURNED else "",
            transfer=transfer,
            transfer_item_id=item["id"],
            prior_course_code=item["course_code"],
            prior_course_name=item.get("course_name", ""),
        )
    return len(new)


def recreate_performances(
    transfer: IncomingTransfer, items: list[dict[str, Any]], files: FileCopies, user: Any
) -> int:
    have = transfer.performances.values_list("transfer_item_id", flat=True)
    new = _new_items(items, "performance", have)
    for item in new:
        performance = Performance.objects.create(
            student=transfer.student,
            academic_year=item["academic_year"],
            category=category_of()[item["category"]],
            title=item["title"],
            activity_date=dt.date.fromisoformat(item["activity_date"]),
            end_date=_date(item.get("end_date")),
            details=item.get("details", {}),
            description=item["description"],
            link=item.get("link", ""),
            state=item.get("state") or PerformanceState.SUBMITTED,
            source=PerformanceSource.TRANSFER,
            prior_source=item.get("source", ""),
            transfer=transfer,
            transfer_item_id=item["id"],
            created_by=user,
        )
        performance.files.set([files.get(f) for f in item["files"]])
    return len(new)
