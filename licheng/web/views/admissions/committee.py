"""Committee set-up pages (招生委員會): years, channels and caps, departments, rubric, weights,
reviewers, import. Committee staff set up the review; they never score."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.admissions.domain import AdmissionError, importing, setup
from licheng.admissions.domain.setup import CHANNEL_CAP_FIELDS, CriterionSpec
from licheng.admissions.domain.weights import ExamSubject, ScoreWeights
from licheng.admissions.enums import SubjectKind, WeightPart
from licheng.admissions.models import AdmissionYear, Channel, Department, DepartmentReviewer
from licheng.admissions.queries import require_committee

from .forms import (
    ChannelForm,
    DepartmentForm,
    ImportForm,
    ReviewerForm,
    RubricFormSet,
    WeightsForm,
    YearForm,
)


def add_errors(form, exc: AdmissionError) -> None:
    """Every message of a refused change on the form; one per broken rule."""
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    for message in exc.messages:
        form.add_error(field, message)


@login_required
def years(request):
    require_committee(request.user)
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            year = setup.create_year(
                form.cleaned_data["year"], actor=request.user, name=form.cleaned_data["name"]
            )
        except AdmissionError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已建立招生學年度，各管道採預設上限。"))
            return redirect("web:adm_year", year=year.year)
    return render(
        request,
        "web/admissions/committee/years.html",
        {"years": AdmissionYear.objects.all(), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def year_detail(request, year: int):
    require_committee(request.user)
    admission_year = get_object_or_404(AdmissionYear, year=year)
    channels = admission_year.channels.prefetch_related("departments")
    return render(
        request,
        "web/admissions/committee/year.html",
        {"year": admission_year, "channels": channels, "import_form": ImportForm()},
    )


@login_required
def channel_edit(request, pk: int):
    require_committee(request.user)
    channel = get_object_or_404(Channel.objects.select_related("year"), pk=pk)
    form = ChannelForm(request.POST or None, instance=Channel.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            setup.update_channel(
                channel, actor=request.user, **{f: form.cleaned_data[f] for f in CHANNEL_CAP_FIELDS}
            )
        except AdmissionError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("管道上限已儲存。"))
            return redirect("web:adm_year", year=channel.year.year)
    return render(
        request,
        "web/admissions/committee/channel.html",
        {"channel": channel, "form": form},
        status=400 if form.errors else 200,
    )


def _department_form_page(request, channel: Channel, department: Department | None):
    instance = (
        Department.objects.get(pk=department.pk) if department else Department(channel=channel)
    )
    form = DepartmentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in DepartmentForm.Meta.fields}
        try:
            saved = setup.save_department(
                channel, actor=request.user, department=department, **values
            )
        except AdmissionError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("校系資料已儲存。"))
            return redirect("web:adm_department", pk=saved.pk)
    return render(
        request,
        "web/admissions/committee/department.html",
        {"channel": channel, "department": department, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def department_new(request, pk: int):
    require_committee(request.user)
    channel = get_object_or_404(Channel.objects.select_related("year"), pk=pk)
    return _department_form_page(request, channel, None)


@login_required
def department_edit(request, pk: int):
    require_committee(request.user)
    department = get_object_or_404(Department.objects.select_related("channel__year"), pk=pk)
    return _department_form_page(request, department.channel, department)


def _rubric_initial(department: Department) -> list[dict]:
    rows = [
        {"name": c.name, "weight": c.weight}
        | {f"level_{n}": d for n, d in enumerate(c.descriptors, start=1)}
        for c in department.criteria.all()
    ]
    return rows + [{}] * max(2, 4 - len(rows))


@login_required
def rubric(request, pk: int):
    require_committee(request.user)
    department = get_object_or_404(Department.objects.select_related("channel__year"), pk=pk)
    kwargs = {"levels": department.rubric_levels}
    if request.method == "POST":
        formset = RubricFormSet(request.POST, form_kwargs=kwargs)
        if formset.is_valid():
            specs = [
                CriterionSpec(
                    f.cleaned_data["name"],
                    f.cleaned_data["weight"] or 0,
                    tuple(f.cleaned_data[f"level_{n}"] for n in range(1, f.levels + 1)),
                )
                for f in formset
                if not f.is_blank()
            ]
            try:
                setup.set_rubric(department, specs, actor=request.user)
            except AdmissionError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, _("評分尺規已儲存。"))
                return redirect("web:adm_department", pk=department.pk)
    else:
        formset = RubricFormSet(initial=_rubric_initial(department), form_kwargs=kwargs)
    failed = bool(formset.non_form_errors() or any(f.errors for f in formset))
    return render(
        request,
        "web/admissions/committee/rubric.html",
        {
            "department": department,
            "formset": formset,
            "levels": range(1, department.rubric_levels + 1),
        },
        status=400 if failed else 200,
    )


def _weights_initial(department: Department) -> dict:
    weights = ScoreWeights.from_json(department.weights)
    initial: dict = {f"part_{p.value}": v for p, v in weights.parts.items()}
    for i, s in enumerate(weights.subjects, start=1):
        initial |= {
            f"subject_{i}_name": s.name,
            f"subject_{i}_kind": s.kind,
            f"subject_{i}_weight": s.weight,
        }
    return initial


def _weights_from(data: dict) -> ScoreWeights:
    parts = {p: data[f"part_{p.value}"] for p in WeightPart if data.get(f"part_{p.value}")}
    subjects = tuple(
        ExamSubject(
            data[f"subject_{i}_name"],
            SubjectKind(data[f"subject_{i}_kind"] or SubjectKind.COMMON),
            data[f"subject_{i}_weight"],
        )
        for i in range(1, WeightsForm.SUBJECT_ROWS + 1)
        if data.get(f"subject_{i}_name")
    )
    return ScoreWeights(parts=parts, subjects=subjects)


@login_required
def weights(request, pk: int):
    require_committee(request.user)
    department = get_object_or_404(Department.objects.select_related("channel__year"), pk=pk)
    form = WeightsForm(request.POST or None, initial=_weights_initial(department))
    if request.method == "POST" and form.is_valid():
        try:
            setup.set_weights(department, _weights_from(form.cleaned_data), actor=request.user)
        except AdmissionError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("成績比例已儲存。"))
            return redirect("web:adm_department", pk=department.pk)
    return render(
        request,
        "web/admissions/committee/weights.html",
        {"department": department, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def reviewers(request, pk: int):
    require_committee(request.user)
    department = get_object_or_404(Department.objects.select_related("channel__year"), pk=pk)
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("找不到這個帳號"))
        else:
            try:
                setup.add_reviewer(
                    department, user, is_chair=form.cleaned_data["is_chair"], actor=request.user
                )
            except AdmissionError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("已加入審查委員。"))
                return redirect("web:adm_reviewers", pk=department.pk)
    return render(
        request,
        "web/admissions/committee/reviewers.html",
        {
            "department": department,
            "seats": department.reviewers.select_related("user"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reviewer_remove(request, pk: int):
    require_committee(request.user)
    seat = get_object_or_404(DepartmentReviewer.objects.select_related("department", "user"), pk=pk)
    setup.remove_reviewer(seat, actor=request.user)
    messages.success(request, _("已移除審查委員。"))
    return redirect("web:adm_reviewers", pk=seat.department_id)


@login_required
@require_POST
def department_import(request, pk: int):
    require_committee(request.user)
    channel = get_object_or_404(Channel.objects.select_related("year"), pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("請選擇要匯入的檔案。"))
        return redirect("web:adm_year", year=channel.year.year)
    upload = form.cleaned_data["file"]
    try:
        result = importing.import_departments(channel, upload, upload.name, actor=request.user)
    except AdmissionError as exc:
        result = importing.ImportResult(errors=exc.messages)
    if result.errors:
        return render(
            request,
            "web/admissions/committee/import_result.html",
            {"channel": channel, "result": result},
            status=400,
        )
    messages.success(
        request,
        _("匯入完成：新增 %(c)s 個、更新 %(u)s 個校系。")
        % {"c": result.created, "u": result.updated},
    )
    return redirect("web:adm_year", year=channel.year.year)
