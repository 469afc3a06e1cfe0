"""Course counselling records (課程諮詢紀錄, R7).

They stay on the school platform: nothing here is ever part of a central export (see
``curriculum.queries.central_exportable_records``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from licheng.audit.domain import record
from licheng.lib.roc import Term
from licheng.lib.text import too_long
from licheng.schools.models import SchoolClass, Student

from ..models import CounsellingAssignment, CounsellingRecord

# R7: a description of at most 100 characters and a pdf/jpg/png file of at most 2 MB.
MAX_DESCRIPTION = 100
MAX_FILE_BYTES = 2 * 1024 * 1024
# Checked by the file's first bytes, never by its name alone.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}


class CounsellingError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def file_problem(upload: UploadedFile) -> str | None:
    """Why an attachment is refused (R7), or ``None``."""
    name = (upload.name or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    ext = "jpg" if ext == "jpeg" else ext
    if ext not in SIGNATURES:
        return "附件只接受 pdf、jpg 或 png 檔"
    if (upload.size or 0) > MAX_FILE_BYTES:
        return f"附件不可超過 2 MB（目前 {(upload.size or 0) / 1024 / 1024:.1f} MB）"
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        return f"附件內容不是 {ext} 檔，請確認檔案是否損毀或副檔名錯誤"
    return None


def is_advisee(counsellor: Any, student: Student) -> bool:
    return CounsellingAssignment.objects.filter(
        counsellor=counsellor, school_class__enrolments__student=student
    ).exists()


@transaction.atomic
def write_record(
    student: Student,
    *,
    counsellor: Any,
    held_on: dt.date,
    description: str,
    upload: UploadedFile | None = None,
) -> CounsellingRecord:
    """A counsellor writes a counselling record for one of their advisees (R7)."""
    if not is_advisee(counsellor, student):
        raise CounsellingError("只能為自己輔導班級的學生撰寫課程諮詢紀錄")
    description = description.strip()
    if not description:
        raise CounsellingError("請填寫紀錄說明", "description")
    problem = too_long(description, MAX_DESCRIPTION)
    if problem:
        raise CounsellingError(f"紀錄說明{problem}", "description")
    term = Term.of(held_on)
    rec = CounsellingRecord(
        school=student.school,
        student=student,
        counsellor=counsellor,
        academic_year=term.academic_year,
        semester=term.semester,
        held_on=held_on,
        description=description,
    )
    if upload is not None:
        problem = file_problem(upload)
        if problem:
            raise CounsellingError(problem, "file")
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        rec.file_sha256 = digest.hexdigest()
        rec.file_size = upload.size or 0
        rec.file_name = (upload.name or "")[-200:]
        ext = rec.file_name.lower().rsplit(".", 1)[-1].replace("jpeg", "jpg")
        rec.file.save(f"{student.school.code}-{rec.file_sha256[:16]}.{ext}", upload, save=False)
    rec.save()
    record(
        "curriculum.counselling.create",
        actor=counsellor,
        obj=rec,
        school=student.school,
        after={"held_on": held_on, "description": description, "sha256": rec.file_sha256},
    )
    return rec


@transaction.atomic
def assign_counsellor(school_class: SchoolClass, *, actor: Any, counsellor: Any) -> None:
    """The school names a course counsellor for a class (課程諮詢教師分配)."""
    _obj, created = CounsellingAssignment.objects.get_or_create(
        counsellor=counsellor, school_class=school_class
    )
    if created:
        record(
            "curriculum.counselling.assign",
            actor=actor,
            obj=school_class,
            after={"counsellor": counsellor.pk},
        )


@transaction.atomic
def unassign_counsellor(school_class: SchoolClass, *, actor: Any, counsellor: Any) -> None:
    """The school takes a class away from a counsellor; their records stay where they are."""
    deleted, _ = CounsellingAssignment.objects.filter(
        counsellor=counsellor, school_class=school_class
    ).delete()
    if deleted:
        record(
            "curriculum.counselling.unassign",
            actor=actor,
            obj=school_class,
            before={"counsellor": counsellor.pk},
        )


def note_download(rec: CounsellingRecord, *, reader: Any) -> None:
    """R35: who read a counselling attachment is logged like a change."""
    record("curriculum.counselling.download", actor=reader, obj=rec, school=rec.school)
