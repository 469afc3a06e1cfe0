"""Windows (作業期程): when uploads, certification, selection and submission are open (R12, R23).

Defaults follow seed 000's calendar: uploads close mid-February / mid-July, selection and
certification end in September, the school submits in October. Each school can move them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from licheng.audit.domain import record
from licheng.lib.roc import ROC_OFFSET, Term

from ..enums import WindowKind
from ..models import School, Window


def default_dates(kind: WindowKind, academic_year: int, semester: int) -> tuple[dt.date, dt.date]:
    g = academic_year + ROC_OFFSET  # the Gregorian year the academic year starts in
    if kind == WindowKind.OUTCOME_UPLOAD:
        if semester == 1:
            return dt.date(g, 9, 1), dt.date(g + 1, 2, 15)
        return dt.date(g + 1, 2, 16), dt.date(g + 1, 7, 15)
    if kind == WindowKind.CERTIFICATION:
        if semester == 1:
            return dt.date(g, 9, 1), dt.date(g + 1, 2, 28)
        return dt.date(g + 1, 2, 16), dt.date(g + 1, 7, 31)
    if kind == WindowKind.PERFORMANCE_UPLOAD:
        return dt.date(g, 8, 1), dt.date(g + 1, 7, 31)
    if kind == WindowKind.SELECTION:
        return dt.date(g + 1, 8, 1), dt.date(g + 1, 9, 30)
    if kind == WindowKind.SUBMISSION:
        return dt.date(g + 1, 10, 1), dt.date(g + 1, 10, 31)
    raise ValueError(kind)


def window_for(school: School, kind: WindowKind, academic_year: int, semester: int = 0) -> Window:
    """The school's window, or an unsaved one with the default dates if the school set none."""
    semester = semester if WindowKind(kind).per_semester else 0
    # At most one row (window_unique); the model's ordering would join the school just to sort it.
    found = (
        Window.objects.filter(
            school=school, kind=kind, academic_year=academic_year, semester=semester
        )
        .order_by()
        .first()
    )
    if found:
        return found
    opens, closes = default_dates(WindowKind(kind), academic_year, semester or 1)
    return Window(
        school=school,
        kind=kind,
        academic_year=academic_year,
        semester=semester,
        opens_on=opens,
        closes_on=closes,
    )


def windows_for_term(school: School, term: Term) -> list[Window]:
    """The windows that concern work of ``term``: its semester windows and its year's windows."""
    result = []
    for kind in WindowKind:
        result.append(window_for(school, kind, term.academic_year, term.semester))
    return result


def relevant_windows(school: School, day: dt.date) -> list[Window]:
    """Windows open on ``day`` or opening within 60 days, across this and last academic year:
    selection for last year is open while this year's uploads are."""
    term = Term.of(day)
    candidates: list[Window] = []
    for year in (term.academic_year - 1, term.academic_year):
        for kind in WindowKind:
            semesters = (1, 2) if kind.per_semester else (0,)
            for sem in semesters:
                candidates.append(window_for(school, kind, year, sem))
    soon = day + dt.timedelta(days=60)
    return sorted(
        (w for w in candidates if w.closes_on >= day and w.opens_on <= soon),
        key=lambda w: (w.closes_on, w.kind),
    )


class WindowError(ValueError):
    pass


@transaction.atomic
def set_window(
    school: School,
    *,
    kind: WindowKind,
    academic_year: int,
    semester: int = 0,
    opens_on: dt.date,
    closes_on: dt.date,
    actor: Any,
) -> Window:
    """Set the dates of one window (設定作業期程), audited with before → after."""
    if closes_on < opens_on:
        raise WindowError("截止日期不可早於開始日期")
    semester = semester if WindowKind(kind).per_semester else 0
    window = window_for(school, kind, academic_year, semester)
    before = {"opens_on": window.opens_on, "closes_on": window.closes_on} if window.pk else None
    window.opens_on, window.closes_on = opens_on, closes_on
    window.save()
    record(
        "schools.window.set",
        actor=actor,
        obj=window,
        school=school,
        before=before,
        after={"opens_on": opens_on, "closes_on": closes_on},
    )
    return window
