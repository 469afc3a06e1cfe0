"""Receipts (收訖明細, R36): the student sees what the central repository holds for them and
confirms it or reports a problem; the school handles reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.enums import Role
from licheng.central.domain.receipts import (
    ReceiptError,
    confirm_receipt,
    report_problem,
    resolve_report,
)
from licheng.central.models import ReceiptAck
from licheng.central.queries import central_student_of, open_reports, records_of

from ...permissions import admin_school_for, require_role


def _own_ack(user, pk: int) -> ReceiptAck:
    """A receipt of the logged-in student's own record; anybody else's is a 404."""
    require_role(user, Role.STUDENT)
    person = central_student_of(user)
    if person is None:
        raise PermissionDenied
    return get_object_or_404(
        ReceiptAck.objects.select_related("record__school"), pk=pk, record__student=person
    )


@login_required
def my_receipts(request):
    require_role(request.user, Role.STUDENT)
    person = central_student_of(request.user)
    records = records_of(person, current_only=True) if person else []
    return render(request, "web/central/my_receipts.html", {"person": person, "records": records})


@login_required
@require_POST
def answer_receipt(request, pk: int):
    ack = _own_ack(request.user, pk)
    try:
        if request.POST.get("answer") == "confirm":
            confirm_receipt(ack, actor=request.user)
            messages.success(request, _("已確認收訖明細無誤。"))
        else:
            report_problem(ack, message=request.POST.get("message", ""), actor=request.user)
            messages.success(request, _("已回報問題，學校會在 3 天內處理。"))
    except ReceiptError as exc:
        messages.error(request, str(exc))
    return redirect("web:my_receipts")


@login_required
def school_reports(request):
    school = admin_school_for(request.user, request.GET.get("school"))
    return render(
        request,
        "web/central/school_reports.html",
        {"school": school, "reports": open_reports(school)},
    )


@login_required
@require_POST
def resolve(request, pk: int):
    school = admin_school_for(request.user, request.GET.get("school"))
    ack = get_object_or_404(
        ReceiptAck.objects.select_related("record"), pk=pk, record__school=school
    )
    try:
        resolve_report(ack, note=request.POST.get("note", ""), actor=request.user)
    except ReceiptError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已記錄處理說明，學生會看到。"))
    return redirect("web:school_reports")
