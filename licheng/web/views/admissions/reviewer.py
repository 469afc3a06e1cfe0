"""Department review pages (校系書面審查, R41): applicants, packages inline, scoring, 差分檢核,
the chair's ranked table and exports, package PDFs and the department's zip."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.admissions.domain import AdmissionError, export, packages, review
from licheng.admissions.models import Review
from licheng.admissions.queries import (
    get_application_for_reviewer,
    get_department_for_reviewer,
    released_applications,
    seats_of,
)

from .committee import add_errors
from .forms import ResolveForm, ScoreForm
from .student import file_response


@login_required
def home(request):
    seats = list(seats_of(request.user))
    rows = [
        {
            "seat": s,
            "open": review.review_open(s.department),
            "count": released_applications(s.department).count(),
            "mine": Review.objects.filter(
                reviewer=request.user, application__department=s.department, total__isnull=False
            ).count(),
        }
        for s in seats
    ]
    return render(request, "web/admissions/review/home.html", {"rows": rows})


@login_required
def department(request, pk: int):
    dept = get_department_for_reviewer(request.user, pk)
    apps = list(released_applications(dept).prefetch_related("reviews"))
    seat = seats_of(request.user).get(department=dept)
    rows = [
        {
            "application": a,
            "label": packages.applicant_label(a),
            "mine": next(
                (r.total for r in a.reviews.all() if r.reviewer_id == request.user.pk), None
            ),
            "count": sum(1 for r in a.reviews.all() if r.total is not None),
            "flagged": review.is_flagged(a),
        }
        for a in apps
    ]
    return render(
        request,
        "web/admissions/review/department.html",
        {"department": dept, "rows": rows, "is_chair": seat.is_chair},
    )


def _neighbours(application) -> tuple[int | None, int | None]:
    ids = list(released_applications(application.department).values_list("pk", flat=True))
    i = ids.index(application.pk)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


@login_required
def application(request, pk: int):
    """One applicant's package inline with each item's origin, and the score form (R39, R41)."""
    app = get_application_for_reviewer(request.user, pk)
    criteria = list(app.department.criteria.all())
    mine = Review.objects.filter(application=app, reviewer=request.user).first()
    initial = {}
    if mine:
        initial = {f"criterion_{s.criterion_id}": s.level for s in mine.scores.all()}
        initial["comment"] = mine.comment
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    previous, following = _neighbours(app)
    if request.method == "POST" and form.is_valid():
        try:
            review.score_application(
                app,
                reviewer=request.user,
                levels=form.levels(),
                comment=form.cleaned_data["comment"],
            )
        except AdmissionError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("評分已儲存。"))
            if following:
                return redirect("web:review_application", pk=following)
            return redirect("web:review_department", pk=app.department_id)
    if request.method == "GET":
        review.record_package_open(app, user=request.user)
    return render(
        request,
        "web/admissions/review/application.html",
        {
            "application": app,
            "manifest": app.snapshot,
            "label": packages.applicant_label(app),
            "form": form,
            "mine": mine,
            "previous": previous,
            "next": following,
        },
        status=400 if form.errors else 200,
    )


@login_required
def item_file(request, pk: int, index: int):
    app = get_application_for_reviewer(request.user, pk)
    return file_response(request, app.snapshot, index)


def _file_links(request, application):
    """Absolute URLs of the item files, for the audio/video the PDF can only link to."""

    def link(index: int) -> str:
        path = reverse("web:review_file", kwargs={"pk": application.pk, "index": index})
        return request.build_absolute_uri(path)

    return link


@login_required
def package_pdf(request, pk: int):
    """The applicant's package as one PDF (cover, contents, items and their pages)."""
    app = get_application_for_reviewer(request.user, pk)
    review.record_package_open(app, user=request.user, how="pdf")
    data = packages.package_pdf(app, _file_links(request, app))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{packages.package_filename(app)}"'
    return response


@login_required
def department_zip(request, pk: int):
    """All the department's packages as one zip, streamed with bounded memory."""
    dept = get_department_for_reviewer(request.user, pk, chair=True)
    apps = list(released_applications(dept))
    for app in apps:
        review.record_package_open(app, user=request.user, how="zip")
    response = StreamingHttpResponse(
        packages.stream_zip(apps, lambda app: _file_links(request, app)),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="{dept.code}-packages.zip"'
    return response


@login_required
def ranking(request, pk: int):
    """The chair's ranked table with weighted totals and the 差分檢核 flags (R41)."""
    dept = get_department_for_reviewer(request.user, pk, chair=True)
    rows = review.ranking(dept)
    return render(
        request,
        "web/admissions/review/ranking.html",
        {
            "department": dept,
            "rows": [
                (
                    r,
                    packages.applicant_label(r.application),
                    ResolveForm(prefix=f"a{r.application.pk}"),
                )
                for r in rows
            ],
            "criteria": list(dept.criteria.all()),
        },
    )


@login_required
def ranking_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    dept = get_department_for_reviewer(request.user, pk, chair=True)
    rows = review.ranking(dept)
    if fmt == "xlsx":
        data = export.ranking_xlsx(dept, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = export.ranking_csv(dept, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{dept.code}-ranking.{fmt}"'
    return response


@login_required
@require_POST
def resolve(request, pk: int):
    app = get_application_for_reviewer(request.user, pk)
    get_department_for_reviewer(request.user, app.department_id, chair=True)
    form = ResolveForm(request.POST, prefix=f"a{app.pk}")
    if form.is_valid():
        try:
            review.resolve_discrepancy(
                app,
                chair=request.user,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
        except AdmissionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("差分檢核已處理。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("web:review_ranking", pk=app.department_id)
