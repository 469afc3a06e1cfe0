"""A student's whole portfolio as one zip with a readable index.html (R40), so nothing depends on
the platform surviving: basic data, course records (with those of a previous school, R38), every
outcome and performance with its files.
Counselling records are the counsellor's, not part of the student's portfolio (R7)."""

from __future__ import annotations

import shutil
import zipfile
from typing import IO, Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from licheng.audit.domain import record
from licheng.curriculum.models import CourseEnrolment, PriorCourseRecord
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.models import Student

CHUNK = 1024 * 1024


def _file_rows(prefix: str, files: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "stored": f,
            "path": f"files/{prefix}-{n}.{f.kind}",
            "name": f.original_name,
            "size": f.size,
            "sha256": f.sha256,
        }
        for n, f in enumerate(files, 1)
    ]


def portfolio_contents(student: Student) -> dict[str, Any]:
    outcomes = [
        {"item": o, "files": _file_rows(f"outcome-{o.pk}", o.files)}
        for o in LearningOutcome.objects.filter(student=student)
        .select_related("course", "document", "media", "transfer", "certified_by")
        .order_by("academic_year", "semester", "course__code", "pk")
    ]
    performances = [
        {"item": p, "files": _file_rows(f"performance-{p.pk}", list(p.files.all()))}
        for p in Performance.objects.filter(student=student)
        .select_related("transfer")
        .prefetch_related("files")
        .order_by("academic_year", "activity_date", "pk")
    ]
    courses = (
        CourseEnrolment.objects.filter(student=student)
        .select_related("course")
        .order_by("course__academic_year", "course__semester", "course__code")
    )
    return {
        "student": student,
        "outcomes": outcomes,
        "performances": performances,
        "courses": courses,
        "prior_courses": PriorCourseRecord.objects.filter(student=student).select_related(
            "transfer"
        ),
        "generated_at": timezone.now(),
    }


def write_portfolio_zip(student: Student, out: IO[bytes], *, actor: Any) -> None:
    """Write the zip (下載完整學習歷程): ``index.html`` and ``files/…``; the download is audited."""
    contents = portfolio_contents(student)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr("index.html", render_to_string("export/portfolio_index.html", contents))
        for entry in (*contents["outcomes"], *contents["performances"]):
            for row in entry["files"]:
                with (
                    default_storage.open(row["stored"].storage_name, "rb") as source,
                    archive.open(row["path"], "w", force_zip64=True) as target,
                ):
                    shutil.copyfileobj(source, target, CHUNK)
    record("selection.portfolio.download", actor=actor, obj=student, school=student.school)
