"""The central repository's pages (中央資料庫) for central administrators: submission status per
school and term, national caps, school keys, and any student's whole record across schools."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from licheng.accounts.enums import Role
from licheng.audit.domain import record
from licheng.central.domain.credentials import issue_credential, revoke_credential
from licheng.central.models import CentralStudent, SchoolCredential
from licheng.central.queries import STATE_LABELS, records_of, school_overview, status_by_school
from licheng.lib.roc import Term, period_label, year_label
from licheng.schools.models import School
from licheng.selection.domain.caps import CapsError, caps_for, set_caps
from licheng.selection.models import NationalCaps

from ...permissions import require_role


def _period(request) -> tuple[int, int]:
    term = Term.of(timezone.localdate())
    try:
        year = int(request.GET.get("year") or term.academic_year)
        semester = int(request.GET.get("semester", term.semester))
    except ValueError:
        year, semester = term.academic_year, term.semester
    return year, semester if semester in (0, 1, 2) else term.semester


@login_required
def status(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    year, semester = _period(request)
    rows = status_by_school(year, semester)
    # 400 schools on one page: resolve the link prefix and the labels once, not per row.
    school_url = reverse("web:central_school", args=["000000"]).removesuffix("000000/")
    labels = {state: str(label) for state, label in STATE_LABELS.items()}
    for row in rows:
        row.href = f"{school_url}{row.school.code}/"  # type: ignore[attr-defined]
        row.text = labels[row.state]  # type: ignore[attr-defined]
    counts = [
        (state, label, sum(1 for r in rows if r.state == state))
        for state, label in STATE_LABELS.items()
    ]
    periods = [
        (y, s, period_label(y, s) if s else _("%(year)s勾選項目") % {"year": year_label(y)})
        for y in (year - 1, year)
        for s in (1, 2, 0)
    ]
    return render(
        request,
        "web/central/status.html",
        {
            "rows": rows,
            "counts": counts,
            "year": year,
            "semester": semester,
            "periods": periods,
        },
    )


class CapsForm(forms.Form):
    academic_year = forms.IntegerField(label=gettext_lazy("學年度"), min_value=100, max_value=200)
    max_outcomes = forms.IntegerField(
        label=gettext_lazy("課程學習成果勾選上限"), min_value=0, max_value=50
    )
    max_performances = forms.IntegerField(
        label=gettext_lazy("多元表現勾選上限"), min_value=0, max_value=50
    )


@login_required
def caps(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    year = Term.of(timezone.localdate()).academic_year
    current = caps_for(year)
    form = CapsForm(
        request.POST or None,
        initial={
            "academic_year": year,
            "max_outcomes": current.max_outcomes,
            "max_performances": current.max_performances,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_caps(
                form.cleaned_data["academic_year"],
                max_outcomes=form.cleaned_data["max_outcomes"],
                max_performances=form.cleaned_data["max_performances"],
                actor=request.user,
            )
        except CapsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("勾選上限已儲存。"))
            return redirect("web:central_caps")
    return render(
        request,
        "web/central/caps.html",
        {"form": form, "years": NationalCaps.objects.all(), "current": current},
        status=400 if form.errors else 200,
    )


@login_required
def keys(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    if request.method == "POST":
        school = get_object_or_404(School, code=request.POST.get("school", ""))
        _credential, key = issue_credential(school, actor=request.user)
        # Shown once: only its hash is kept.
        messages.success(
            request,
            _("%(school)s 的新金鑰（只會顯示這一次）：%(key)s")
            % {
                "school": school.name,
                "key": key,
            },
        )
        return redirect("web:central_keys")
    credentials = SchoolCredential.objects.select_related("school").order_by(
        "school__code", "-created_at"
    )
    return render(
        request,
        "web/central/keys.html",
        {"credentials": credentials, "schools": School.objects.order_by("code")},
    )


@login_required
@require_POST
def revoke_key(request, pk: int):
    require_role(request.user, Role.CENTRAL_ADMIN)
    credential = get_object_or_404(SchoolCredential, pk=pk, revoked_at=None)
    revoke_credential(credential, actor=request.user)
    messages.success(request, _("金鑰已停用。"))
    return redirect("web:central_keys")


@login_required
def students(request):
    require_role(request.user, Role.CENTRAL_ADMIN)
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        found = list(
            CentralStudent.objects.filter(Q(national_id=q.upper()) | Q(name=q))
            .select_related("school")
            .order_by("national_id")[:50]
        )
    return render(request, "web/central/students.html", {"q": q, "found": found})


@login_required
def student(request, pk: int):
    require_role(request.user, Role.CENTRAL_ADMIN)
    person = get_object_or_404(CentralStudent.objects.select_related("school"), pk=pk)
    # R35: reading a student's whole record is logged.
    record("central.student.read", actor=request.user, obj=person, school=person.school)
    return render(
        request,
        "web/central/student.html",
        {"person": person, "records": records_of(person)},
    )


@login_required
def school(request, code: str):
    require_role(request.user, Role.CENTRAL_ADMIN)
    found = get_object_or_404(School, code=code)
    return render(request, "web/central/school.html", {"school": found, **school_overview(found)})
