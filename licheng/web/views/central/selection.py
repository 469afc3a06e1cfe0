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
    today = timezone.localdate()
    year = selection_year(student.school, today)
    current = selection_of(student, year)
    error = ""
    if request.method == "POST":
        outcome_ids = _ids(request.POST.getlist("outcome"))
        performance_ids = _ids(request.POST.getlist("performance"))
        try:
            save_selection(
                student,
                year,
                outcome_ids=outcome_ids,
                performance_ids=performance_ids,
                actor=request.user,
            )
        except SelectionError as exc:
            error = str(exc)
        else:
            messages.success(request, _("勾選已儲存。"))
            return redirect("web:selection")
    else:
        items = current.items.all() if current else []
        outcome_ids = {i.outcome_id for i in items if i.outcome_id}
        performance_ids = {i.performance_id for i in items if i.performance_id}
    caps = caps_for(year)
    window = window_for(student.school, WindowKind.SELECTION, year)
    outcomes = list(candidate_outcomes(student, year))
    performances = list(candidate_performances(student, year))
    context = {
        "year": year,
        "caps": caps,
        "window": window,
        "open": window.is_open(today),
        "frozen": bool(current and current.is_frozen),
        "submitted_at": current.submitted_at if current else None,
        "outcomes": outcomes,
        "performances": performances,
        "certified": OutcomeState.CERTIFIED,
        "outcome_ids": outcome_ids,
        "performance_ids": performance_ids,
        "outcome_count": len(outcome_ids),
        "performance_count": len(performance_ids),
        "sent_before": sent_in_earlier_years(student, year),
        "error": error,
    }
    return render(request, "web/central/selection.html", context, status=400 if error else 200)
