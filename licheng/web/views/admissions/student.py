"""The student's applications (我的申請): register with consent, build, preview, submit (R27–R29, R39)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.admissions import files
from licheng.admissions.domain import AdmissionError, applications
from licheng.admissions.domain.caps import caps_for
from licheng.admissions.enums import ItemKind, ItemOrigin
from licheng.admissions.models import Channel
from licheng.admissions.queries import (
    get_application_for_student,
    get_item_for_student,
    get_registration_for,
    registrations_of,
    student_of,
)
from licheng.admissions.sources import portfolio_items
from licheng.evidence.domain.missing import StoredFileMissing
from licheng.web.file_answers import file_answer, missing_file_page

from .committee import add_errors
from .forms import ConsentForm, DocumentsForm, PickForm, StartForm, UploadForm


def _open_channels():
    today = timezone.localdate()
    return [
        c
        for c in Channel.objects.select_related("year").filter(departments__isnull=False).distinct()
        if (c.registration_opens_on is None or c.registration_opens_on <= today)
        and (c.registration_closes_on is None or today <= c.registration_closes_on)
    ]


@login_required
def home(request):
    student = student_of(request.user)
    registrations = list(
        registrations_of(request.user).prefetch_related("applications__department")
    )
    registered = {r.channel_id for r in registrations}
    return render(
        request,
        "web/admissions/student/home.html",
        {
            "student": student,
            "registrations": [
                (r, StartForm(channel=r.channel, prefix=f"r{r.pk}")) for r in registrations
            ],
            "channels": [c for c in _open_channels() if c.pk not in registered],
            "consent_form": ConsentForm(),
            "consent_statement": applications.CONSENT_STATEMENT,
        },
    )


@login_required
@require_POST
def register(request, pk: int):
    student = student_of(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    form = ConsentForm(request.POST)
    form.is_valid()
    try:
        applications.register(
            student, channel, consent=form.cleaned_data.get("consent", False), actor=request.user
        )
    except AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已完成報名並同意授權。"))
    return redirect("web:apply_home")


@login_required
@require_POST
def start(request, pk: int):
    registration = get_registration_for(request.user, pk)
    form = StartForm(request.POST, channel=registration.channel, prefix=f"r{registration.pk}")
    if not form.is_valid():
        messages.error(request, _("請選擇申請校系。"))
        return redirect("web:apply_home")
    try:
        app = applications.start_application(
            registration, form.cleaned_data["department"], actor=request.user
        )
    except AdmissionError as exc:
        messages.error(request, str(exc))
        return redirect("web:apply_home")
    return redirect("web:apply_edit", pk=app.pk)


def _edit_context(app, *, pick_form=None, documents_form=None, upload_form=None):
    available = portfolio_items(app.registration.student)
    picked = [i.source_ref for i in app.items.filter(origin=ItemOrigin.CENTRAL)]
    self_portfolio = not available
    return {
        "application": app,
        "caps": caps_for(app.department),
        "available": available,
        "pick_form": pick_form or PickForm(initial={"items": picked}, available=available),
        "documents_form": documents_form
        or DocumentsForm(
            initial={
                "d1_text": app.d1_text,
                "d2_reflection": app.d2_reflection,
                "d2_motivation": app.d2_motivation,
                "d2_plan": app.d2_plan,
            }
        ),
        "upload_form": upload_form or UploadForm(self_portfolio=self_portfolio),
        "uploads": app.items.filter(origin=ItemOrigin.UPLOADED),
        "self_portfolio": self_portfolio,
    }


@login_required
def edit(request, pk: int):
    app = get_application_for_student(request.user, pk)
    if app.is_submitted:
        return redirect("web:apply_preview", pk=app.pk)
    forms: dict = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "pick":
                form = forms["pick_form"] = PickForm(
                    request.POST, available=portfolio_items(app.registration.student)
                )
                if form.is_valid():
                    applications.pick_items(app, form.cleaned_data["items"], actor=request.user)
                    messages.success(request, _("已更新勾選項目。"))
                    return redirect("web:apply_edit", pk=app.pk)
            elif action == "documents":
                form = forms["documents_form"] = DocumentsForm(request.POST)
                if form.is_valid():
                    applications.save_documents(app, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("已儲存書面資料。"))
                    return redirect("web:apply_edit", pk=app.pk)
            elif action == "upload":
                available = portfolio_items(app.registration.student)
                form = forms["upload_form"] = UploadForm(
                    request.POST, request.FILES, self_portfolio=not available
                )
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    applications.add_upload(
                        app,
                        ItemKind(form.cleaned_data["kind"]),
                        upload,
                        name=upload.name,
                        title=form.cleaned_data["title"],
                        actor=request.user,
                    )
                    messages.success(request, _("已上傳檔案。"))
                    return redirect("web:apply_edit", pk=app.pk)
            else:
                raise Http404
        except AdmissionError as exc:
            add_errors(form, exc)
    context = _edit_context(app, **forms)
    return render(
        request, "web/admissions/student/edit.html", context, status=400 if forms else 200
    )


@login_required
@require_POST
def remove_item(request, pk: int):
    item = get_item_for_student(request.user, pk)
    try:
        applications.remove_item(item, actor=request.user)
    except AdmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已刪除檔案。"))
    return redirect("web:apply_edit", pk=item.application_id)


@login_required
def preview(request, pk: int):
    """R39: exactly what the department will receive; after submitting, the frozen snapshot."""
    app = get_application_for_student(request.user, pk)
    manifest = app.snapshot if app.is_submitted else applications.build_manifest(app)
    problems = [] if app.is_submitted else applications.submission_errors(app, manifest)
    return render(
        request,
        "web/admissions/student/preview.html",
        {"application": app, "manifest": manifest, "problems": problems},
    )


@login_required
@require_POST
def submit(request, pk: int):
    app = get_application_for_student(request.user, pk)
    try:
        applications.submit(app, actor=request.user)
    except AdmissionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已確認送出，資料已提供給申請校系。"))
    return redirect("web:apply_preview", pk=app.pk)


@login_required
def item_file(request, pk: int, index: int):
    """A file of the student's own application, as the department will receive it."""
    app = get_application_for_student(request.user, pk)
    manifest = app.snapshot if app.is_submitted else applications.build_manifest(app)
    return file_response(request, manifest, index)


def file_response(request, manifest: dict, index: int) -> HttpResponseBase:
    """File ``index`` of an application's manifest, as the department receives it: with byte
    ranges for large PDFs, and the missing-file page if storage lost it."""
    items = manifest["items"]
    if not 0 <= index < len(items) or not items[index]["file"]:
        raise Http404
    info = items[index]["file"]
    try:
        handle = files.open_stored(info["path"])
    except StoredFileMissing as missing:
        return missing_file_page(request, missing.stored)
    return file_answer(request, handle, content_type=info["content_type"], filename=info["name"])
