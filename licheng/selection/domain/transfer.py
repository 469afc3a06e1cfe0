"""Transfers (轉學, R38): a student's whole record leaves the school as one exchange package.

The package carries the basic data, every course record of every semester and every outcome and
performance with its files, certified or not (nothing is lost). It goes to the central
repository, which moves the student to the new school and keeps the record whole; the receiving
school's platform, from whatever vendor, imports the same package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.curriculum.models import CourseEnrolment
from licheng.lib.exchange import FORMAT_VERSION
from licheng.lib.roc import Term
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.enums import StudentStatus
from licheng.schools.models import School, Student
from licheng.schools.queries import class_enrolment

from ..enums import JobState, SubmissionKind
from ..models import SubmissionJob
from .annual import _file_entries
from .precheck import SubmissionError


def _grade(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def transfer_manifest(
    student: Student, transfer_to: str, *, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    sources: dict[str, Any] = {}
    seat = class_enrolment(student, Term.current().academic_year)
    courses = [
        {
            "academic_year": e.course.academic_year,
            "semester": e.course.semester,
            "code": e.course.code,
            "name": e.course.name,
            "credits": e.course.credits,
            "category": e.course.get_category_display(),
            "original_grade": _grade(e.original_grade),
            "makeup_grade": _grade(e.makeup_grade),
            "retake_grade": _grade(e.retake_grade),
        }
        for e in CourseEnrolment.objects.filter(student=student)
        .select_related("course")
        .order_by("course__academic_year", "course__semester", "course__code")
    ]
    items = []
    for o in LearningOutcome.objects.filter(student=student).select_related(
        "course", "document", "media"
    ):
        certified = (
            timezone.localtime(o.certified_at).date().isoformat() if o.certified_at else None
        )
        items.append(
            {
                "id": f"outcome-{o.pk}",
                "type": "course_outcome",
                "state": o.state,
                "academic_year": o.academic_year,
                "semester": o.semester,
                "title": o.title,
                "description": o.description,
                "course_code": o.course.code,
                "course_name": o.course.name,
                "certified_on": certified,
                "files": _file_entries(o.files, sources),
            }
        )
    for p in Performance.objects.filter(student=student).prefetch_related("files"):
        items.append(
            {
                "id": f"performance-{p.pk}",
                "type": "performance",
                "state": p.state,
                "academic_year": p.academic_year,
                "semester": None,
                "title": p.title,
                "description": p.description,
                "category": p.category,
                "activity_date": p.activity_date.isoformat(),
                "link": p.link,
                "files": _file_entries(p.files.all(), sources),
            }
        )
    if progress is not None:
        progress(1, 1)
    entry = {
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
        "items": items,
    }
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
