"""Transfers in (轉入, R38): a student's whole record arrives from their previous school.

The record is one student's entry of a ``transfer`` exchange package (docs/exchange-format.md)
with its files, read either from the central repository or from a package another vendor's
platform wrote; both go through ``receive_transfer``. In one transaction it registers the
student here (or uses the registration the school already made) and recreates:

- every course record of every semester as a prior-school course record (轉學前修課紀錄);
- the cadre posts, attendance and rewards as this school's record models, marked as the
  previous school's (``term_records``, R2, R3);
- every course learning outcome and diverse performance in the state it had there (a certified
  outcome stays certified on its date, naming its teacher; a draft stays a draft; a returned one
  stays returned, with its reason), performances with their category fields, end date and who
  registered them (R19);
- every file as evidence, its bytes hashed against the manifest's SHA-256 and checked like any
  upload before they are kept (the items and files: ``transfer_items``).

Items brought in point to the ``IncomingTransfer``, which names the previous school. They were
uploaded there, not here, so they count toward none of this school's upload quotas (R11, R18)
and a full storage quota (R34) does not refuse them; the national selection caps (R22) apply
to them as to any item when the student ticks them.

The same entry again changes nothing. A changed entry (the previous school corrected it) adds
what is missing and never rewrites or removes what came before. Any refusal leaves nothing:
the rows roll back and the files already copied are deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from licheng.accounts.domain.accounts import AccountError, register_student
from licheng.audit.domain import record
from licheng.curriculum.models import PriorCourseRecord
from licheng.evidence.models import StoredFile
from licheng.lib.exchange import Package, canonical_json, read_package, sha256_hex
from licheng.schools.models import Department, IncomingTransfer, School, Student

from ..enums import SubmissionKind
from .term_records import recreate_term_records, term_record_problem
from .transfer_items import (
    FileCopies,
    TransferError,
    check_item,
    recreate_outcomes,
    recreate_performances,
)


@dataclass(frozen=True)
class TransferSource:
    """Where an incoming record comes from (轉入來源): one student's manifest entry, the schools
    the package names, and a function opening each listed file by its SHA-256."""

    entry: dict[str, Any]
    from_code: str
    from_name: str
    to_code: str
    open_file: Callable[[str], IO[bytes]]
    origin: str  # for the audit entry: which central record or which uploaded package


@dataclass(frozen=True)
class TransferReport:
    """What one receipt brought over; all zero when the same record had been received before."""

    transfer: IncomingTransfer
    registered: bool
    courses: int
    outcomes: int
    performances: int
    files: int
    school_records: int = 0  # cadre posts, attendance and rewards (R2, R3)

    @property
    def student(self) -> Student:
        return self.transfer.student

    @property
    def unchanged(self) -> bool:
        return not (
            self.registered
            or self.courses
            or self.outcomes
            or self.performances
            or self.files
            or self.school_records
        )


def receive_transfer(
    source: TransferSource, *, school: School, student_number: str = "", actor: Any
) -> TransferReport:
    """Receive a transferring student (轉入, R38) at ``school``: register them and recreate their
    course records, outcomes, performances and files, all or nothing; audited.

    ``student_number`` is the number this school gives them; it is needed only when the school
    has not registered the student yet.
    """
    check_source(source, school=school)
    copied: list[StoredFile] = []
    try:
        with transaction.atomic():
            return _receive(source, school, student_number, actor, copied)
    except BaseException:
        # Nothing refers to the copies any more: the rows that did were rolled back.
        for stored in copied:
            default_storage.delete(stored.storage_name)
        raise


def check_source(source: TransferSource, *, school: School) -> None:
    """Refuse, before anything is read or written, a record not for this school or holding
    what this platform cannot keep as sent (unknown states, categories, levels…)."""
    if source.to_code != school.code:
        raise TransferError(
            _("這位學生轉入的是學校代碼 %(code)s 的學校，不是貴校") % {"code": source.to_code}
        )
    if source.from_code == school.code:
        raise TransferError(_("原學校與轉入學校相同，不是轉學"))
    for item in source.entry.get("items", []):
        check_item(item)
    if problem := term_record_problem(source.entry):
        raise TransferError(problem)


def files_to_copy(source: TransferSource, *, school: School) -> list[dict[str, Any]]:
    """The manifest's file entries a receipt at ``school`` would copy, each once: none when the
    same entry was received before, only those of items not yet here after a correction."""
    entry = source.entry
    transfer = IncomingTransfer.objects.filter(
        student__school=school,
        student__national_id=entry["national_id"],
        from_school_code=source.from_code,
    ).first()
    if transfer is not None and transfer.entry_sha256 == sha256_hex(canonical_json(entry)):
        return []
    have: set[str] = set()
    if transfer is not None:
        have.update(transfer.outcomes.values_list("transfer_item_id", flat=True))
        have.update(transfer.performances.values_list("transfer_item_id", flat=True))
    files: dict[str, dict[str, Any]] = {}
    for item in entry.get("items", []):
        if item["id"] not in have:
            files.update((f["sha256"], f) for f in item["files"])
    return list(files.values())


def package_source(package: Package) -> TransferSource:
    """The one student of an uploaded transfer package (匯入轉學封包) as a transfer source."""
    manifest = package.manifest
    if manifest["package_kind"] != SubmissionKind.TRANSFER:
        raise TransferError(_("這不是轉學封包（封包類別應為 transfer）"))
    if len(manifest["students"]) != 1:
        raise TransferError(_("轉學封包應只包含一位學生"))
    return TransferSource(
        entry=manifest["students"][0],
        from_code=manifest["school"]["code"],
        from_name=manifest["school"]["name"],
        to_code=manifest["transfer_to"],
        open_file=package.open_file,
        origin=f"package {package.manifest_sha256}",
    )


def receive_transfer_package(
    upload: IO[bytes], *, school: School, student_number: str = "", actor: Any
) -> TransferReport:
    """Receive a transfer package uploaded by the school (匯入轉學封包), e.g. from another
    vendor's platform: checked as the central intake checks packages (schema, members, sizes,
    and every file's SHA-256 while it is copied), then received like any transfer."""
    package = read_package(upload, hash_files=False)
    try:
        source = package_source(package)
        return receive_transfer(source, school=school, student_number=student_number, actor=actor)
    finally:
        package.close()


def _receive(
    source: TransferSource,
    school: School,
    student_number: str,
    actor: Any,
    copied: list[StoredFile],
) -> TransferReport:
    # One transfer in at a time per school: a second click waits, then finds the first's rows.
    School.objects.select_for_update().filter(pk=school.pk).first()
    entry = source.entry
    entry_sha256 = sha256_hex(canonical_json(entry))
    student, registered = _student(entry, school, student_number, actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    transfer, _created = IncomingTransfer.objects.get_or_create(
        student=student,
        from_school_code=source.from_code,
        defaults={"from_school_name": source.from_name, "imported_by": user},
    )
    if transfer.entry_sha256 == entry_sha256:
        return TransferReport(transfer, registered, 0, 0, 0, 0)  # R38: the same record again
    files = FileCopies(source.open_file, student, actor, copied)
    courses = _recreate_courses(transfer, entry.get("courses", []))
    outcomes = recreate_outcomes(transfer, entry.get("items", []), files)
    performances = recreate_performances(transfer, entry.get("items", []), files, user)
    school_records = recreate_term_records(transfer, entry)
    transfer.entry_sha256 = entry_sha256
    transfer.summary = {
        "courses": transfer.course_records.count(),
        "outcomes": transfer.outcomes.count(),
        "performances": transfer.performances.count(),
        **{k: (transfer.summary or {}).get(k, 0) + n for k, n in school_records.items()},
    }
    transfer.save(update_fields=["entry_sha256", "summary"])
    report = TransferReport(
        transfer,
        registered,
        courses,
        outcomes,
        performances,
        len(files.made),
        sum(school_records.values()),
    )
    record(
        "selection.transfer.receive",
        actor=actor,
        obj=transfer,
        school=school,
        after={
            "from": source.from_code,
            "origin": source.origin,
            "entry_sha256": entry_sha256,
            "registered": registered,
            "courses": courses,
            "outcomes": outcomes,
            "performances": performances,
            "files": len(files.made),
            **school_records,
        },
    )
    return report


def _student(
    entry: dict[str, Any], school: School, number: str, actor: Any
) -> tuple[Student, bool]:
    """The student's registration here: the one the school made already, or a new one (R1, R31)."""
    existing = Student.objects.filter(school=school, national_id=entry["national_id"]).first()
    if existing is not None:
        return existing, False
    number = number.strip()
    if not number:
        raise TransferError(_("請輸入本校的學號"))
    if Student.objects.filter(school=school, student_number=number).exists():
        raise TransferError(_("學號 %(n)s 已有人使用") % {"n": number})
    basic = entry.get("basic") or {}
    if not basic.get("enrolment_date"):
        raise TransferError(_("轉學資料沒有入學日期，無法建立學籍"))
    department = None
    if basic.get("department"):
        department = Department.objects.filter(school=school, name=basic["department"]).first()
    try:
        student = register_student(
            school,
            student_number=number,
            national_id_number=entry["national_id"],
            name=entry["name"],
            enrolment_date=dt.date.fromisoformat(basic["enrolment_date"]),
            department=department,
            actor=actor,
        )
    except AccountError as exc:
        raise TransferError(str(exc)) from None
    return student, True


def _grade(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _recreate_courses(transfer: IncomingTransfer, courses: list[dict[str, Any]]) -> int:
    have = set(transfer.course_records.values_list("academic_year", "semester", "code"))
    new = [
        PriorCourseRecord(
            transfer=transfer,
            student=transfer.student,
            academic_year=c["academic_year"],
            semester=c["semester"],
            code=c["code"],
            name=c["name"],
            credits=c["credits"],
            category=c["category"],
            original_grade=_grade(c.get("original_grade")),
            makeup_grade=_grade(c.get("makeup_grade")),
            retake_grade=_grade(c.get("retake_grade")),
        )
        for c in courses
        if (c["academic_year"], c["semester"], c["code"]) not in have
    ]
    PriorCourseRecord.objects.bulk_create(new)
    return len(new)
