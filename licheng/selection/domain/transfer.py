"""Transfers (轉學, R38): a student's whole record leaves the school as one exchange package.

The package carries the basic data, every course record of every semester, the cadre posts,
attendance and rewards (R2, R3), and every outcome and performance with its files, certified or
not, with their category fields, certifier and return reason (nothing is lost). It goes to the
central repository, which moves the student to the new school and keeps the record whole; the
receiving school's platform, from whatever vendor, imports the same package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.curriculum.models import Course, CourseEnrolment, PriorCourseRecord
from licheng.lib.exchange import FORMAT_VERSION
from licheng.lib.roc import Term
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.enums import StudentStatus
from licheng.schools.models import School, Student
from licheng.schools.queries import class_enrolment

from ..enums import JobState, SubmissionKind
from ..models import SubmissionJob
from .items import outcome_entry, performance_entry
from .precheck import SubmissionError
from .term_records import term_record_entries


def _grade(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _course_entry(record: CourseEnrolment | PriorCourseRecord) -> dict[str, Any]:
    """A course record of this school, or one brought from an earlier school (it travels on as
    it was sent: nothing is lost); both name their course's facts alike."""
    if isinstance(record, CourseEnrolment):
        course: Course | PriorCourseRecord = record.course
        category = record.course.get_category_display()
    else:
        course, category = record, record.category
    return {
        "academic_year": course.academic_year,
        "semester": course.semester,
        "code": course.code,
        "name": course.name,
        "credits": course.credits,
        "category": category,
        "original_grade": _grade(record.original_grade),
        "makeup_grade": _grade(record.makeup_grade),
        "retake_grade": _grade(record.retake_grade),
    }


def student_entry(student: Student, sources: dict[str, Any]) -> dict[str, Any]:
    """The student's whole record as one exchange-format entry (R38): basic data, every course
    record, cadre posts, attendance and rewards, every item in its state with its files listed.
    The transfer package sends it; the R40 zip keeps a copy as ``portfolio.json``."""
    seat = class_enrolment(student, Term.current().academic_year)
    records: list[CourseEnrolment | PriorCourseRecord] = [
        *CourseEnrolment.objects.filter(student=student).select_related("course"),
        *PriorCourseRecord.objects.filter(student=student),
    ]
    courses = sorted(
        (_course_entry(r) for r in records),
        key=lambda c: (c["academic_year"], c["semester"], c["code"]),
    )
    # Every item in its state, certified or not (R38): the annual package's entries plus state.
    items = [
        {**outcome_entry(o, sources), "state": o.state}
        for o in LearningOutcome.objects.filter(student=student).select_related(
            "course", "document", "media", "certified_by"
        )
    ]
    items += [
        {**performance_entry(p, sources), "state": p.state}
        for p in Performance.objects.filter(student=student).prefetch_related("files")
    ]
    return {
        "national_id": student.national_id,
        "student_number": student.student_number,
        "name": student.name,
        "basic": {
            "department": student.department.name if student.department else "",
            "class_name": seat.school_class.name if seat else "",
            "grade": seat.school_class.grade if seat else None,
            "seat_number": seat.seat_number if seat else None,
            "enrolment_date": student.enrolment_date.isoformat(),
            "status": student.status,
        },
        "courses": courses,
        **term_record_entries(student),  # cadre posts (R2), attendance and rewards (R3)
        "items": items,
    }


def transfer_manifest(
    student: Student, transfer_to: str, *, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    sources: dict[str, Any] = {}
    entry = student_entry(student, sources)
    if progress is not None:
        progress(1, 1)
    manifest = {
        "format_version": FORMAT_VERSION,
        "package_kind": "transfer",
        "school": {"code": student.school.code, "name": student.school.name},
        "academic_year": Term.current().academic_year,
        "semester": None,
        "transfer_to": transfer_to,
        "created_at": timezone.now().isoformat(),
        "students": [entry],
    }
    return manifest, sources


@transaction.atomic
def start_transfer(student: Student, *, transfer_to: School, actor: Any) -> SubmissionJob:
    """Start a transfer (辦理轉出): the package is built and sent in the background (R38)."""
    if transfer_to.pk == student.school_id:
        raise SubmissionError("轉入學校不可與本校相同")
    if student.status == StudentStatus.TRANSFERRED_OUT:
        raise SubmissionError(f"{student.name} 已辦理轉出")
    busy = SubmissionJob.objects.filter(
        student=student,
        kind=SubmissionKind.TRANSFER,
        state__in=[JobState.QUEUED, JobState.BUILDING, JobState.SENDING],
    )
    if busy.exists():
        raise SubmissionError("這位學生的轉出作業進行中")
    job = SubmissionJob.objects.create(
        school=student.school,
        kind=SubmissionKind.TRANSFER,
        academic_year=Term.current().academic_year,
        student=student,
        transfer_to=transfer_to.code,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        "selection.transfer.start",
        actor=actor,
        obj=job,
        school=student.school,
        after={"student": student.pk, "to": transfer_to.code},
    )
    from ..tasks import run_submission_task

    transaction.on_commit(lambda: run_submission_task.enqueue(job.pk))
    return job


def mark_transferred(student: Student) -> None:
    """Once the central repository has the whole record, the student's status is 轉出."""
    Student.objects.filter(pk=student.pk).update(status=StudentStatus.TRANSFERRED_OUT)
