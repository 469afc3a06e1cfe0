"""The school's submissions to the central repository (提交中央資料庫): pre-check per student,
start the background job, watch its progress, read the receipt; the roster CSV beside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.lib.roc import Term
from licheng.selection.domain.roster import roster_csv
from licheng.selection.domain.submission import SubmissionError, precheck, start_submission
from licheng.selection.enums import SubmissionKind
from licheng.selection.models import SubmissionJob

from ...permissions import admin_school_for


def _periods(today) -> list[tuple[str, str]]:
    """Periods a school submits for, newest first: the semesters of this and last year that have
    begun, and a year's selection (勾選項目) once its second semester has begun — never a period
    that has not started yet."""
    year = Term.of(today).academic_year
    result = []
    for y in (year, year - 1):
        if Term(y, 2).start <= today:
            result += [
                (f"{y}-0", _("%(year)s學年度勾選項目") % {"year": y}),
                (f"{y}-2", _("%(year)s學年度第%(semester)s學期資料") % {"year": y, "semester": 2}),
            ]
        result += [
            (f"{y}-1", _("%(year)s學年度第%(semester)s學期資料") % {"year": y, "semester": 1})
        ]
    return result


def _default_period(today, periods: list[tuple[str, str]]) -> str:
    """What a school submits next: the newest semester that has ended (R4)."""
    for code, _label in periods:
        if not code.endswith("-0") and Term.from_code(code).end < today:
            return code
    return periods[0][0]


def _parse_period(value: str, periods: list[tuple[str, str]]) -> tuple[str, int, int]:
    if value not in dict(periods):
        raise Http404
    year, semester = (int(p) for p in value.split("-"))
    kind = SubmissionKind.SEMESTER if semester else SubmissionKind.ANNUAL
    return kind, year, semester


@login_required
def submissions(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    today = timezone.localdate()
    periods = _periods(today)
    period = (
        request.GET.get("period") or request.POST.get("period") or _default_period(today, periods)
    )
    kind, year, semester = _parse_period(period, periods)
    if request.method == "POST":
        try:
            start_submission(
                school, kind=kind, academic_year=year, semester=semester, actor=request.user
            )
        except SubmissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已開始建立並傳送封包，進度顯示於下方。"))
        return redirect(f"{request.path}?period={period}")
    findings = precheck(school, kind, year, semester)
    jobs = SubmissionJob.objects.filter(
        school=school, kind=kind, academic_year=year, semester=semester
    )[:10]
    return render(
        request,
        "web/central/submissions.html",
        {
            "school": school,
            "periods": periods,
            "period": period,
            "kind": kind,
            "findings": sorted(findings.items(), key=lambda kv: kv[0].student_number),
            "blocking": sum(p.blocking for ps in findings.values() for p in ps),
            "jobs": jobs,
        },
    )


@login_required
def job(request, pk: int):
    """One job's progress and receipt; polled by the submissions page while it runs."""
    school = admin_school_for(request.user, request.GET.get("school"))
    found = get_object_or_404(SubmissionJob, pk=pk, school=school)
    return render(request, "web/central/_job.html", {"job": found})


@login_required
def roster(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    try:
        term = Term.from_code(request.GET.get("term", ""))
    except ValueError:
        raise Http404 from None
    response = HttpResponse(roster_csv(school, term), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{school.code}-{term.code}.csv"'
    return response
