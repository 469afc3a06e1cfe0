"""Demo data of the central area: national caps, the schools' intake keys, a semester submission
received with its receipt, and (once students have certified items) a selection submitted."""

from __future__ import annotations

import contextlib

from licheng.central.domain.credentials import issue_credential
from licheng.central.models import SchoolCredential
from licheng.lib.roc import Term
from licheng.selection.domain.caps import set_caps
from licheng.selection.domain.precheck import SubmissionError
from licheng.selection.domain.submission import start_submission
from licheng.selection.models import NationalCaps, SubmissionJob

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
