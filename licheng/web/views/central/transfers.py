"""Transfers (轉學, R38) at the school: students coming in, with their whole record as an
exchange package from the central repository or uploaded from another platform, and students
leaving."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.central.domain.export import write_record_package
from licheng.central.domain.transfers import queue_central_transfer
from licheng.central.queries import get_incoming_transfer, incoming_transfers
from licheng.lib.exchange import PackageError
from licheng.schools.models import IncomingTransfer, School, Student
from licheng.selection.domain.precheck import SubmissionError
from licheng.selection.domain.transfer import start_transfer
from licheng.selection.domain.transfer_jobs import queue_transfer_package
from licheng.selection.enums import SubmissionKind
from licheng.selection.models import SubmissionJob, TransferInJob

from ...permissions import admin_school_for


@login_required
def transfers(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    incoming = list(incoming_transfers(school))
    ids = [r.student.national_id for r in incoming]
    registered = set(
        Student.objects.filter(school=school, national_id__in=ids).values_list(
            "national_id", flat=True
        )
    )
    received = {
        (t.student.national_id, t.from_school_code): t
        for t in IncomingTransfer.objects.filter(
            student__school=school, student__national_id__in=ids
        ).select_related("student")
    }
    for rec in incoming:
        done = received.get((rec.student.national_id, rec.school.code))
        # Received only if this very version of the record was: a correction is offered again.
        rec.received = done if done and done.entry_sha256 == rec.content_sha256 else None
    return render(
        request,
        "web/central/transfers.html",
        {
            "school": school,
            "incoming": incoming,
            "registered": registered,
            "schools": School.objects.exclude(pk=school.pk).order_by("code"),
            "outgoing": SubmissionJob.objects.filter(school=school, kind=SubmissionKind.TRANSFER)[
                :10
            ],
            "incoming_jobs": TransferInJob.objects.filter(school=school)[:10],
        },
    )


@login_required
def incoming_package(request, pk: int):
    """Download an incoming student's record as an exchange package (import into any platform)."""
    school = admin_school_for(request.user, request.GET.get("school"))
    record = get_incoming_transfer(school, pk)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_record_package(record, spool, actor=request.user)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"transfer-{record.student.student_number}.zip"
    )


def _queue(request, queue, source, school: School):
    """Queue one of the two ways in (the same domain function behind both, in the background);
    its progress and result show on the transfers page."""
    try:
        queue(
            source,
            school=school,
            student_number=request.POST.get("student_number", ""),
            actor=request.user,
        )
    except PackageError as exc:
        messages.error(request, _("無法轉入，沒有匯入任何資料：%(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("已開始轉入，進度與結果顯示於「轉入作業」。"))
    return redirect("web:transfers")


@login_required
@require_POST
def register_incoming(request, pk: int):
    """Receive the incoming student here (轉入): registration, course records, items and files."""
    school = admin_school_for(request.user, request.GET.get("school"))
    return _queue(request, queue_central_transfer, get_incoming_transfer(school, pk), school)


@login_required
@require_POST
def upload_incoming(request):
    """Receive a student from a transfer package another platform wrote (匯入轉學封包)."""
    school = admin_school_for(request.user, request.GET.get("school"))
    upload = request.FILES.get("package")
    if upload is None:
        messages.error(request, _("請選擇轉學封包（zip 檔）"))
        return redirect("web:transfers")
    return _queue(request, queue_transfer_package, upload, school)


@login_required
def incoming_job(request, pk: int):
    """One transfer in's progress and result; polled by the transfers page while it runs. Once
    it is finished the page reloads, so the incoming list shows the student as received."""
    school = admin_school_for(request.user, request.GET.get("school"))
    job = get_object_or_404(TransferInJob, pk=pk, school=school)
    response = render(request, "web/central/_transfer_job.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def start_outgoing(request):
    """Start a student's transfer out (辦理轉出): the whole record goes to the central repository."""
    school = admin_school_for(request.user, request.GET.get("school"))
    student = Student.objects.filter(
        school=school, student_number=request.POST.get("student_number", "").strip()
    ).first()
    target = School.objects.filter(code=request.POST.get("transfer_to", "")).first()
    try:
        if student is None:
            raise SubmissionError(_("本校查無此學號"))
        if target is None:
            raise SubmissionError(_("請選擇轉入學校"))
        start_transfer(student, transfer_to=target, actor=request.user)
    except SubmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已開始傳送 %(name)s 的完整資料。") % {"name": student.name})
    return redirect("web:transfers")
