"""Reads of the central repository: status per school and term, a student's whole record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from licheng.lib.roc import Term
from licheng.schools.domain.windows import default_dates
from licheng.schools.enums import WindowKind
from licheng.schools.models import School, Window

from .enums import PackageKind
from .models import CentralFile, CentralItem, CentralRecord, CentralStudent, ReceiptAck, Submission

# R4, R8: semester data is due a month after the semester ends (the seeds give no firmer date).
SEMESTER_DUE_DAYS = 31


def semester_due(term: Term) -> dt.date:
    return term.end + dt.timedelta(days=SEMESTER_DUE_DAYS)


@dataclass
class SchoolStatus:
    """One school's line on the status page (提交狀態): submitted / missing / late."""

    school: School
    kind: str
    due: dt.date
    last_received: dt.datetime | None
    students: int = 0
    state: str = field(init=False)

    def __post_init__(self) -> None:
        today = timezone.localdate()
        if self.last_received is not None:
            on = timezone.localtime(self.last_received).date()
            self.state = "late" if on > self.due else "submitted"
        else:
            self.state = "missing" if today > self.due else "pending"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "submitted": _("已提交"),
    "late": _("逾期提交"),
    "missing": _("未提交（已逾期）"),
    "pending": _("尚未提交"),
}


def status_by_school(academic_year: int, semester: int) -> list[SchoolStatus]:
    """Every school's submission status for a semester (semester data) or a year (annual)."""
    kind = PackageKind.SEMESTER if semester else PackageKind.ANNUAL
    received = {
        row["school"]: row
        for row in Submission.objects.filter(
            academic_year=academic_year, semester=semester, kind=kind
        )
        .values("school")
        .annotate(last=Max("received_at"), students=Max("student_count"))
    }
    # One query for the schools that moved their submission window; the rest use the default.
    moved = dict(
        Window.objects.filter(
            kind=WindowKind.SUBMISSION, academic_year=academic_year, semester=0
        ).values_list("school_id", "closes_on")
    )
    default_due = default_dates(WindowKind.SUBMISSION, academic_year, 1)[1]
    rows = []
    for school in School.objects.order_by("code"):
        if semester:
            due = semester_due(Term(academic_year, semester))
        else:
            due = moved.get(school.pk, default_due)
        got = received.get(school.pk, {})
        rows.append(
            SchoolStatus(school, kind, due, got.get("last"), students=got.get("students") or 0)
        )
    return rows


def records_of(student: CentralStudent, *, current_only: bool = False) -> QuerySet[CentralRecord]:
    """A student's records across schools and years, newest version first, items and files joined."""
    qs = CentralRecord.objects.filter(student=student)
    if current_only:
        qs = qs.filter(is_current=True)
    files = CentralFile.objects.select_related("blob")
    items = CentralItem.objects.prefetch_related(Prefetch("files", queryset=files))
    return (
        qs.select_related("school", "submission", "ack")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-academic_year", "-semester", "kind", "school__code", "-version")
    )


def incoming_transfers(school: School) -> QuerySet[CentralRecord]:
    """Transfer records (轉學, R38) of students the central repository now places at ``school``:
    what that school may read and receive, and no other school."""
    return (
        CentralRecord.objects.filter(
            kind=PackageKind.TRANSFER, is_current=True, student__school=school
        )
        .exclude(school=school)
        .select_related("student", "school")
        .order_by("-received_at")
    )


def get_incoming_transfer(school: School, pk: int) -> CentralRecord:
    record = incoming_transfers(school).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def central_student_of(user: Any) -> CentralStudent | None:
    """The central record of a logged-in student (matched by national ID), if any was received."""
    student = getattr(user, "student", None)
    if student is None:
        return None
    return CentralStudent.objects.filter(national_id=student.national_id).first()


def open_reports(school: School) -> QuerySet[ReceiptAck]:
    """Reports students made about the school's submissions that the school has not handled."""
    return (
        ReceiptAck.objects.filter(record__school=school, status="reported")
        .select_related("record__student")
        .order_by("school_due_on", "pk")
    )


@dataclass
class TermCount:
    academic_year: int
    semester: int
    kind: str
    students: int
    versions: int


def school_overview(school: School) -> dict[str, Any]:
    """One school at the central repository: what it sent per term, its latest packages and the
    students' open reports."""
    counts = (
        CentralRecord.objects.filter(school=school)
        .values("academic_year", "semester", "kind")
        .annotate(students=Count("student", distinct=True), versions=Count("pk"))
        .order_by("-academic_year", "-semester", "kind")
    )
    return {
        "terms": [TermCount(**row) for row in counts],
        "submissions": list(
            Submission.objects.filter(school=school)
            .defer("receipt")
            .order_by("-received_at", "-id")[:20]
        ),
        "open_reports": open_reports(school).count(),
        "students": CentralStudent.objects.filter(school=school).count(),
    }


def releasable_items(student: CentralStudent) -> QuerySet[CentralItem]:
    """What admissions may offer the student to pick from (R27): the current version of every
    annual selection, files joined. Sealed students release nothing (R26): raises SealedError."""
    from .domain.archive import ensure_releasable

    ensure_releasable(student)
    files = CentralFile.objects.select_related("blob")
    return (
        CentralItem.objects.filter(
            student=student, record__is_current=True, record__kind=PackageKind.ANNUAL
        )
        .select_related("record")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("record__academic_year", "item_type", "pk")
    )
