"""The central intake (中央資料庫收件): validate a school's package, store it, return a receipt.

R25: sending the same package again changes nothing and returns the same receipt; a package whose
content for a student differs creates a new version of that student's record, the older versions
stay. The package is checked completely before anything is written; file bytes are written
first and every row in one transaction afterwards, so a package cut off at any point leaves
nothing half-stored and re-sending completes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any, TypeVar

from django.db import IntegrityError, connections, router, transaction
from django.db.models import DateField, Field, JSONField, Model
from django.urls import reverse
from django.utils import timezone

from licheng.audit.domain import record
from licheng.lib import events
from licheng.lib.exchange import (
    Package,
    PackageError,
    canonical_json,
    check_bytes,
    read_package,
    sha256_hex,
    verify_member,
)
from licheng.schools.models import School, Student
from licheng.selection.domain.caps import caps_for

from ..enums import AckStatus, ItemType, PackageKind, ReceiptLineStatus
from ..models import (
    Blob,
    CentralFile,
    CentralItem,
    CentralRecord,
    CentralStudent,
    ReceiptAck,
    Submission,
)
from .blobs import make_durable, write_blob_bytes, write_blob_view

# R36: students have at least 3 days to confirm a receipt; the platform gives them a week.
CONFIRM_DAYS = 7
IN_BATCH = 500  # keeps IN (...) lists well under every database's parameter limit
T = TypeVar("T")
INSERT_BATCH = 2000  # rows per executemany()
# Writers of blob files: twice the cores, at least 4 — each waits on the disk part of the time.
BLOB_WRITERS = min(8, max(4, 2 * (os.cpu_count() or 1)))


class IntakeRefused(PackageError):
    """The package is well formed but this sender may not send it (HTTP 403)."""


def ingest_package(source: IO[bytes], *, school: School) -> Submission:
    """Receive one package from ``school`` (收件) and return its submission with the receipt."""
    # Files are hashed while they are stored (one read each), not in a separate pass.
    package = read_package(source, hash_files=False)
    try:
        manifest = package.manifest
        if manifest["school"]["code"] != school.code:
            raise IntakeRefused(
                f"封包的學校代碼 {manifest['school']['code']} 不是貴校（{school.code}）"
            )
        existing = Submission.objects.filter(
            school=school, package_sha256=package.manifest_sha256
        ).first()
        if existing is not None:
            return existing  # R25: the same package again changes nothing
        target = _target_school(manifest, school)
        _check_terms(manifest)
        _check_caps(manifest)
        known = _known_blobs(package.files)
        _store_files(package, known)
        make_durable()
        try:
            return _commit(package, school=school, target=target, known=known)
        except IntegrityError:
            # Another request committed the same package a moment earlier.
            return Submission.objects.get(school=school, package_sha256=package.manifest_sha256)
    finally:
        package.close()


def _store_file(package: Package, sha: str, entry: dict[str, Any], known: bool) -> None:
    view = package.member_view(sha)
    if view is not None:
        with view:
            if known:
                check_bytes(view, sha, entry)  # stored already: only check
                return
            if write_blob_view(sha, view, entry):
                return
    if known:
        verify_member(package.archive, sha, entry)
    else:
        with package.open_file(sha) as stream:
            write_blob_bytes(sha, stream, entry)


def _store_files(package: Package, known: set[str]) -> None:
    """Hash and write every file of the package, a few at a time: SHA-256 and file writes
    release the GIL, so a school's 32,000 files go through every core instead of one (the zip
    is read under its own lock). The first refusal stops the rest and is raised."""
    with ThreadPoolExecutor(max_workers=BLOB_WRITERS) as pool:
        futures = [
            pool.submit(_store_file, package, sha, entry, sha in known)
            for sha, entry in package.files.items()
        ]
        try:
            for future in futures:
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _target_school(manifest: dict[str, Any], school: School) -> School:
    if manifest["package_kind"] != PackageKind.TRANSFER:
        return school
    target = School.objects.filter(code=manifest["transfer_to"]).first()
    if target is None:
        raise PackageError(f"轉入學校代碼 {manifest['transfer_to']} 不存在")
    if target.pk == school.pk:
        raise PackageError("轉入學校不可與轉出學校相同")
    return target


def _check_terms(manifest: dict[str, Any]) -> None:
    """Semester packages carry that semester's courses; annual packages that year's items."""
    kind, year = manifest["package_kind"], manifest["academic_year"]
    for student in manifest["students"]:
        nid = student["national_id"]
        if kind == PackageKind.SEMESTER:
            if student.get("items"):
                raise PackageError(f"學生 {nid}：學期封包不可包含勾選項目（請以學年封包提交）")
            for course in student.get("courses", []):
                if (course["academic_year"], course["semester"]) != (year, manifest["semester"]):
                    raise PackageError(f"學生 {nid}：課程 {course['code']} 不屬於本封包的學期")
        if kind == PackageKind.ANNUAL:
            if student.get("courses") or student.get("basic"):
                raise PackageError(f"學生 {nid}：學年封包只包含勾選項目")
            for item in student.get("items", []):
                if item["type"] == ItemType.COURSE_OUTCOME and not item.get("certified_on"):
                    raise PackageError(f"學生 {nid}：項目 {item['id']} 未經認證，不能提交（R14）")
                # R20: an earlier year's performance may be selected; outcomes only of this year.
                wrong = (
                    item["academic_year"] != year
                    if item["type"] == ItemType.COURSE_OUTCOME
                    else item["academic_year"] > year
                )
                if wrong:
                    raise PackageError(f"學生 {nid}：項目 {item['id']} 的學年度不符")


def _check_caps(manifest: dict[str, Any]) -> None:
    """R22: at most the year's national caps of outcomes and performances per student."""
    if manifest["package_kind"] != PackageKind.ANNUAL:
        return
    caps = caps_for(manifest["academic_year"])
    for student in manifest["students"]:
        items = student.get("items", [])
        outcomes = sum(1 for i in items if i["type"] == ItemType.COURSE_OUTCOME)
        if outcomes > caps.max_outcomes:
            raise PackageError(
                f"學生 {student['national_id']}：課程學習成果 {outcomes} 件，超過上限 {caps.max_outcomes} 件"
            )
        if len(items) - outcomes > caps.max_performances:
            raise PackageError(
                f"學生 {student['national_id']}：多元表現 {len(items) - outcomes} 件，"
                f"超過上限 {caps.max_performances} 件"
            )


def _batches(values: Iterable[T]) -> Iterable[list[T]]:
    values = list(values)
    for start in range(0, len(values), IN_BATCH):
        yield values[start : start + IN_BATCH]


def _known_blobs(shas: Iterable[str]) -> set[str]:
    known: set[str] = set()
    for batch in _batches(shas):
        known.update(Blob.objects.filter(sha256__in=batch).values_list("sha256", flat=True))
    return known


def _term(manifest: dict[str, Any]) -> tuple[int, int]:
    return manifest["academic_year"], manifest["semester"] or 0


@transaction.atomic
def _commit(package: Package, *, school: School, target: School, known: set[str]) -> Submission:
    manifest = package.manifest
    kind = manifest["package_kind"]
    year, semester = _term(manifest)
    Blob.objects.bulk_create(
        [
            Blob(sha256=sha, size=entry["size"], content_type=entry["content_type"])
            for sha, entry in package.files.items()
            if sha not in known
        ],
        ignore_conflicts=True,
    )
    submission = Submission.objects.create(
        school=school,
        kind=kind,
        academic_year=year,
        semester=semester,
        package_sha256=package.manifest_sha256,
        receipt={},
    )
    students = _students(manifest["students"], target)
    current = _current_records(students.values(), school, kind, year, semester)
    lines, new_records = _versions(submission, manifest, students, current)
    changed = {r.student_id for r in new_records}
    superseded = [r.pk for r in current.values() if r.student_id in changed]
    CentralRecord.objects.filter(pk__in=superseded).update(is_current=False)
    CentralRecord.objects.bulk_create(new_records)
    _store_items(new_records, [r.entry for r in new_records])
    closes = timezone.localdate() + dt.timedelta(days=CONFIRM_DAYS)
    ReceiptAck.objects.bulk_create(
        [ReceiptAck(record=r, closes_on=closes, status=AckStatus.PENDING) for r in new_records]
    )
    _tell_students(submission, target, new_records, closes)
    submission.student_count = len(lines)
    submission.item_count = sum(len(e.get("items", [])) for e in manifest["students"])
    submission.file_count = len(package.files)
    submission.byte_count = sum(f["size"] for f in package.files.values())
    submission.receipt = {
        "package": package.manifest_sha256,
        "school": school.code,
        "package_kind": kind,
        "academic_year": year,
        "semester": manifest["semester"],
        "received_at": timezone.now().isoformat(),
        "students": lines,
    }
    submission.save()
    record(
        "central.package.receive",
        obj=submission,
        school=school,
        actor_label=f"學校金鑰 {school.code}",
        after={"kind": kind, "students": len(lines), "new_versions": len(new_records)},
    )
    return submission


def _tell_students(
    submission: Submission, school: School, records: list[CentralRecord], closes: dt.date
) -> None:
    """R36: each student with a new version is told to check and confirm it (e-mail + bell)."""
    national_ids = [r.entry["national_id"] for r in records]
    users = [
        s.user
        for s in Student.objects.filter(school=school, national_id__in=national_ids).select_related(
            "user"
        )
    ]
    events.request_notification(
        events.RECEIPT_TO_CONFIRM,
        f"receipt:{submission.pk}",
        users,
        title=f"中央資料庫收訖明細待確認（{closes:%Y-%m-%d} 前）",
        body="學校提交的資料已由中央資料庫收件，請確認內容無誤，或回報問題。",
        url=reverse("web:my_receipts"),
    )


def _current_records(
    students: Iterable[CentralStudent], school: School, kind: str, year: int, semester: int
) -> dict[int, CentralRecord]:
    """The current version of each student's record from ``school`` for this term and kind."""
    return {
        r.student_id: r
        for batch in _batches(s.national_id for s in students)
        for r in CentralRecord.objects.filter(
            student__national_id__in=batch,
            school=school,
            kind=kind,
            academic_year=year,
            semester=semester,
            is_current=True,
        )
    }


def _versions(
    submission: Submission,
    manifest: dict[str, Any],
    students: dict[str, CentralStudent],
    current: dict[int, CentralRecord],
) -> tuple[list[dict[str, Any]], list[CentralRecord]]:
    """R25: a receipt line per student, and a new version only where the content changed."""
    lines, new_records = [], []
    for entry in manifest["students"]:
        student = students[entry["national_id"]]
        content = sha256_hex(canonical_json(entry))
        previous = current.get(student.pk)
        if previous is not None and previous.content_sha256 == content:
            lines.append(_line(entry, ReceiptLineStatus.UNCHANGED, previous.version))
            continue
        version = previous.version + 1 if previous else 1
        status = ReceiptLineStatus.CORRECTED if previous else ReceiptLineStatus.NEW
        lines.append(_line(entry, status, version))
        new_records.append(
            CentralRecord(
                student=student,
                school=submission.school,
                submission=submission,
                kind=submission.kind,
                academic_year=submission.academic_year,
                semester=submission.semester,
                version=version,
                content_sha256=content,
                basic=entry.get("basic"),
                courses=entry.get("courses", []),
                entry=entry,
            )
        )
    return lines, new_records


def _students(entries: list[dict[str, Any]], school: School) -> dict[str, CentralStudent]:
    """The central students of a package, created or brought up to date (name, school, number)."""
    ids = [e["national_id"] for e in entries]
    found = {
        s.national_id: s
        for batch in _batches(ids)
        for s in CentralStudent.objects.filter(national_id__in=batch)
    }
    missing = [
        CentralStudent(
            national_id=e["national_id"],
            name=e["name"],
            school=school,
            student_number=e["student_number"],
        )
        for e in entries
        if e["national_id"] not in found
    ]
    CentralStudent.objects.bulk_create(missing)
    changed = []
    for e in entries:
        student = found.get(e["national_id"])
        if student is None:
            continue
        new = (e["name"], school.pk, e["student_number"])
        if (student.name, student.school_id, student.student_number) != new:
            student.name, student.school, student.student_number = (
                e["name"],
                school,
                e["student_number"],
            )
            changed.append(student)
    CentralStudent.objects.bulk_update(changed, ["name", "school", "student_number"])
    found.update({s.national_id: s for s in missing})
    return found


# An item's columns and where each comes from in its manifest entry (default when absent).
_ITEM_COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("local_id", "id", None),
    ("item_type", "type", None),
    ("academic_year", "academic_year", None),
    ("semester", "semester", None),
    ("title", "title", None),
    ("description", "description", None),
    ("course_code", "course_code", ""),
    ("course_name", "course_name", ""),
    ("certified_on", "certified_on", None),
    ("category", "category", ""),
    ("activity_date", "activity_date", None),
    ("link", "link", ""),
    ("end_date", "end_date", None),
    ("details", "details", {}),
    ("source", "source", ""),
    ("certified_by_name", "certified_by_name", ""),
    ("return_reason", "return_reason", ""),
    ("return_note", "return_note", ""),
)


def _insert(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain INSERTs of already prepared values: a school's year is 32,000 items and as many
    files, and building a model instance and compiling its SQL per row took most of the commit.
    No signals are lost: ``bulk_create`` sends none either."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(str(_field(model, c).column)) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def _preparers(model: type[Model], columns: list[str]) -> list[Callable[[Any], Any] | None]:
    """Per column, the field's own conversion to a database value where one is needed (dates,
    JSON); text, numbers and keys go as they are, as the ORM would send them."""
    connection = connections[router.db_for_write(model)]
    result: list[Callable[[Any], Any] | None] = []
    for column in columns:
        field = _field(model, column)
        if isinstance(field, DateField | JSONField):
            result.append(functools.partial(_prepare, field, connection))
        else:
            result.append(None)
    return result


def _field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):  # a reverse relation has no column
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _prepare(field: Field, connection: Any, value: Any) -> Any:
    return None if value is None else field.get_db_prep_save(value, connection)


def _store_items(records: list[CentralRecord], entries: list[dict[str, Any]]) -> None:
    columns = ["record", "student", *(c for c, _key, _default in _ITEM_COLUMNS)]
    preparers = _preparers(CentralItem, columns)
    rows: list[tuple[Any, ...]] = []
    files_of: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for rec, entry in zip(records, entries, strict=True):
        for item in entry.get("items", []):
            values = [rec.pk, rec.student_id]
            values += [item.get(key, default) for _column, key, default in _ITEM_COLUMNS]
            rows.append(
                tuple(v if p is None else p(v) for v, p in zip(values, preparers, strict=True))
            )
            files_of[(rec.pk, item["id"])] = item["files"]
    _insert(CentralItem, columns, rows)
    # The items' ids: (record, local id) is unique (item_once_per_record).
    file_rows = []
    for batch in _batches([r.pk for r in records]):
        for record_id, local_id, item_id in CentralItem.objects.filter(
            record_id__in=batch
        ).values_list("record_id", "local_id", "pk"):
            for f in files_of[(record_id, local_id)]:
                file_rows.append((item_id, f["sha256"], f["name"], f["content_type"]))
    _insert(CentralFile, ["item", "blob", "name", "content_type"], file_rows)


def _line(entry: dict[str, Any], status: str, version: int) -> dict[str, Any]:
    items = entry.get("items", [])
    return {
        "national_id": entry["national_id"],
        "student_number": entry["student_number"],
        "name": entry["name"],
        "status": status,
        "version": version,
        "basic": entry.get("basic") is not None,
        "courses": len(entry.get("courses", [])),
        "items": [
            {"id": i["id"], "type": i["type"], "title": i["title"], "files": len(i["files"])}
            for i in items
        ],
    }
