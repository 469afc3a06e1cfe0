"""Transfers (轉學, R38) at the school: students coming in, with their whole record as an
exchange package from the central repository, and their registration here."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.domain.accounts import AccountError, register_student
from licheng.central.domain.export import write_record_package
from licheng.central.enums import PackageKind
from licheng.central.models import CentralRecord
from licheng.lib.roc import parse_roc_date
from licheng.schools.models import School, Student
from licheng.selection.domain.precheck import SubmissionError
from licheng.selection.domain.transfer import start_transfer
from licheng.selection.enums import SubmissionKind
from licheng.selection.models import SubmissionJob

from ...permissions import admin_school_for


def _incoming(school):
    """Transfer records of students the central repository now places at ``school``."""
    return (
        CentralRecord.objects.filter(
            kind=PackageKind.TRANSFER, is_current=True, student__school=school
        )
        .exclude(school=school)
        .select_related("student", "school")
        .order_by("-received_at")
    )


@login_required
def transfers(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    incoming = list(_incoming(school))
    registered = set(
        Student.objects.filter(
            school=school, national_id__in=[r.student.national_id for r in incoming]
        ).values_list("national_id", flat=True)
    )
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
        },
    )


@login_required
def incoming_package(request, pk: int):
    """Download an incoming student's record as an exchange package (import into any platform)."""
    school = admin_school_for(request.user, request.GET.get("school"))
    record = get_object_or_404(_incoming(school), pk=pk)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_record_package(record, spool, actor=request.user)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"transfer-{record.student.student_number}.zip"
    )


@login_required
@require_POST
def register_incoming(request, pk: int):
    """Register the incoming student at this school (轉入學籍) from the basic data received."""
    school = admin_school_for(request.user, request.GET.get("school"))
    record = get_object_or_404(_incoming(school), pk=pk)
    number = request.POST.get("student_number", "").strip()
    basic = record.entry.get("basic") or {}
    try:
        if not number:
            raise AccountError(_("請輸入本校的學號"))
        if Student.objects.filter(school=school, national_id=record.student.national_id).exists():
            raise AccountError(_("這位學生已在本校建立學籍"))
        if Student.objects.filter(school=school, student_number=number).exists():
            raise AccountError(_("學號 %(n)s 已有人使用") % {"n": number})
        register_student(
            school,
            student_number=number,
            national_id_number=record.student.national_id,
            name=record.student.name,
            enrolment_date=parse_roc_date(basic.get("enrolment_date", "")),
            actor=request.user,
        )
    except (AccountError, ValueError) as exc:
        messages.error(request, str(exc) or _("資料不正確"))
    else:
        messages.success(request, _("已建立轉入學生的學籍與帳號。"))
    return redirect("web:transfers")


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
