"""Course counselling records (課程諮詢紀錄, R7).

They stay on the school platform: nothing here is ever part of a central export (see
``curriculum.queries.central_exportable_records``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from licheng.audit.domain import record
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.evidence.domain.validation import EvidenceRejected
from licheng.evidence.rules import COUNSELLING
from licheng.lib.roc import Term
from licheng.lib.text import too_long
from licheng.schools.models import SchoolClass, Student

from ..models import CounsellingAssignment, CounsellingRecord

# R7: a description of at most 100 characters; the file (pdf/jpg/png ≤ 2 MB) is checked by the
# evidence app's COUNSELLING rules.
MAX_DESCRIPTION = 100


class CounsellingError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def is_advisee(counsellor: Any, student: Student) -> bool:
    return CounsellingAssignment.objects.filter(
        counsellor=counsellor, school_class__enrolments__student=student
    ).exists()


@bytes_follow_rows
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
        # Kept by the evidence app, counted against nobody's quota: the student did not upload it.
        try:
            rec.stored_file = store_upload(upload, COUNSELLING, owner=None, uploaded_by=counsellor)
        except EvidenceRejected as exc:
            raise CounsellingError(str(exc), "file") from None
    rec.save()
    record(
        "curriculum.counselling.create",
        actor=counsellor,
        obj=rec,
        school=student.school,
        after={
            "held_on": held_on,
            "description": description,
            "sha256": rec.stored_file.sha256 if rec.stored_file else "",
        },
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
