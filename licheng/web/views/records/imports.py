"""Bulk import and export (批次匯入/匯出) for school administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from licheng.curriculum.domain import imports as domain
from licheng.curriculum.enums import ImportKind, ImportState
from licheng.curriculum.imports.exporting import FORMATS, ExportProblem, export_file, template_file
from licheng.curriculum.models import ImportBatch

from ...permissions import admin_school_for

RUNNING = (ImportState.VALIDATING, ImportState.APPLYING)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("資料種類"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("檔案（CSV：UTF-8 或 Big5；或 XLSX）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


def _batch_for(request, pk: int) -> ImportBatch:
    school = admin_school_for(request.user)
    return get_object_or_404(ImportBatch.objects.select_related("school"), pk=pk, school=school)


@login_required
def import_list(request):
    school = admin_school_for(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = domain.start_import(
                school,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except domain.ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("web:records_import", pk=batch.pk)
    batches = ImportBatch.objects.filter(school=school)[:30]
    return render(
        request,
        "web/records/imports.html",
        {
            "school": school,
            "form": form,
            "batches": batches,
            "kinds": ImportKind.choices,
            "formats": FORMATS,
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request, pk: int):
    batch = _batch_for(request, pk)
    if request.method == "POST":
        try:
            domain.confirm_import(batch, actor=request.user)
        except domain.ImportRefused as exc:
            messages.error(request, str(exc))
        return redirect("web:records_import", pk=batch.pk)
    return render(
        request,
        "web/records/import_detail.html",
        {"batch": batch, "running": batch.state in RUNNING},
    )


@login_required
def import_progress(request, pk: int):
    """The progress partial htmx polls while the batch is checked or written."""
    batch = _batch_for(request, pk)
    response = render(
        request,
        "web/records/_import_progress.html",
        {"batch": batch, "running": batch.state in RUNNING},
    )
    if batch.state not in RUNNING:
        response["HX-Refresh"] = "true"  # the full report replaces the progress bar
    return response


def _download(content: bytes, kind: str, fmt: str, stem: str) -> HttpResponse:
    content_type, suffix = FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{kind}.{suffix}"'
    return response


@login_required
def export(request, kind: str, fmt: str):
    school = admin_school_for(request.user)
    if kind not in ImportKind.values or fmt not in FORMATS:
        raise Http404
    try:
        content = export_file(kind, school, fmt, actor=request.user)
    except ExportProblem as exc:
        messages.error(request, str(exc))
        return redirect("web:records_imports")
    return _download(content, kind, fmt, school.code)


@login_required
def template(request, kind: str, fmt: str):
    admin_school_for(request.user)
    if kind not in ImportKind.values or fmt not in FORMATS:
        raise Http404
    return _download(template_file(kind, fmt), kind, fmt, "template")
