"""Demo data of the central area: national caps, the schools' intake keys, a semester submission
received with its receipt, and (once students have certified items) a selection submitted."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone

from licheng.central.domain.credentials import issue_credential
from licheng.central.models import SchoolCredential
from licheng.lib.roc import Term
from licheng.portfolio.enums import OutcomeState
from licheng.schools.domain.windows import set_window, window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import School, Student
from licheng.selection.domain.annual import (
    candidate_outcomes,
    candidate_performances,
    save_selection,
)
from licheng.selection.domain.caps import set_caps
from licheng.selection.domain.precheck import SubmissionError
from licheng.selection.domain.submission import start_submission
from licheng.selection.models import AnnualSelection, NationalCaps, SubmissionJob

from . import DemoContext

SCHOOLS = ("313301", "440301")


def load(ctx: DemoContext) -> None:
    central = ctx.objects["central"]
    term = Term.current()
    for year in (term.academic_year - 1, term.academic_year):
        if not NationalCaps.objects.filter(academic_year=year).exists():
            set_caps(year, max_outcomes=6, max_performances=10, actor=central)
    for code in SCHOOLS:
        school = ctx.objects[f"school:{code}"]
        if not SchoolCredential.objects.filter(school=school).exists():
            issue_credential(school, actor=central)
    _semester_submission(ctx, term.previous())
    for code in SCHOOLS:
        _selection(ctx, ctx.objects[f"school:{code}"], term.academic_year)
    # 光華 has submitted the year: its first student has a receipt to confirm (R36).
    _annual_submission(ctx, ctx.objects["school:440301"], term.academic_year)


def _semester_submission(ctx: DemoContext, term: Term) -> None:
    """明德's data of the last semester, sent and received (its receipt is on the school's page)."""
    school = ctx.objects["school:313301"]
    admin = ctx.objects["313301:admin"]
    done = SubmissionJob.objects.filter(
        school=school, kind="semester", academic_year=term.academic_year, semester=term.semester
    )
    if done.exists():
        return
    # If the pre-check finds something to fix first, the school's page shows what.
    with contextlib.suppress(SubmissionError):
        start_submission(
            school,
            kind="semester",
            academic_year=term.academic_year,
            semester=term.semester,
            actor=admin,
        )


def _selection(ctx: DemoContext, school: School, year: int) -> None:
    """Open this year's selection window and tick the first student's certified outcomes and a
    few performances (R22), so the selection page shows running counts."""
    today = timezone.localdate()
    window = window_for(school, WindowKind.SELECTION, year)
    if not window.pk:
        set_window(
            school,
            kind=WindowKind.SELECTION,
            academic_year=year,
            opens_on=today - dt.timedelta(days=7),
            closes_on=today + dt.timedelta(days=60),
            actor=ctx.objects[f"{school.code}:admin"],
        )
    student = Student.objects.filter(school=school).order_by("student_number").first()
    if student is None or AnnualSelection.objects.filter(student=student, academic_year=year):
        return
    outcomes = candidate_outcomes(student, year).filter(state=OutcomeState.CERTIFIED)
    performances = candidate_performances(student, year)[:3]
    save_selection(
        student,
        year,
        outcome_ids=[o.pk for o in outcomes],
        performance_ids=[p.pk for p in performances],
        actor=student.user,
    )


def _annual_submission(ctx: DemoContext, school: School, year: int) -> None:
    if SubmissionJob.objects.filter(school=school, kind="annual", academic_year=year).exists():
        return
    with contextlib.suppress(SubmissionError):
        start_submission(
            school, kind="annual", academic_year=year, actor=ctx.objects[f"{school.code}:admin"]
        )
