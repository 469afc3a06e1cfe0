"""The student's annual selection page (年度勾選, R20, R22–R24)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.accounts.enums import Role
from licheng.portfolio.enums import OutcomeState
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind
from licheng.selection.domain.annual import (
    SelectionError,
    candidate_outcomes,
    candidate_performances,
    save_selection,
    selection_of,
    selection_year,
    sent_in_earlier_years,
)
from licheng.selection.domain.caps import caps_for

from ...permissions import require_role


def _ids(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


@login_required
def selection(request):
    require_role(request.user, Role.STUDENT)
    student = request.user.student
    year = selection_year(student.school, timezone.localdate())
    current = selection_of(student, year)
    if request.method != "POST":
        items = current.items.all() if current else []
        ticked = (
            {i.outcome_id for i in items if i.outcome_id},
            {i.performance_id for i in items if i.performance_id},
        )
        return render(request, "web/central/selection.html", _context(student, year, *ticked))
    ticked = (_ids(request.POST.getlist("outcome")), _ids(request.POST.getlist("performance")))
    try:
        save_selection(
            student, year, outcome_ids=ticked[0], performance_ids=ticked[1], actor=request.user
        )
    except SelectionError as exc:
        context = _context(student, year, *ticked, error=str(exc))
        return render(request, "web/central/selection.html", context, status=400)
    messages.success(request, _("勾選已儲存。"))
    return redirect("web:selection")


def _context(
    student, year: int, outcome_ids: set[int], performance_ids: set[int], error: str = ""
) -> dict:
    current = selection_of(student, year)
    window = window_for(student.school, WindowKind.SELECTION, year)
    return {
        "year": year,
        "caps": caps_for(year),
        "window": window,
        "open": window.is_open(timezone.localdate()),
        "frozen": bool(current and current.is_frozen),
        "submitted_at": current.submitted_at if current else None,
        "outcomes": list(candidate_outcomes(student, year)),
        "performances": list(candidate_performances(student, year)),
        "certified": OutcomeState.CERTIFIED,
        "outcome_ids": outcome_ids,
        "performance_ids": performance_ids,
        "outcome_count": len(outcome_ids),
        "performance_count": len(performance_ids),
        "sent_before": sent_in_earlier_years(student, year),
        "error": error,
    }
