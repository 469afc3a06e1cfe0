"""Receipt confirmation (收訖確認, R36).

After the central repository acknowledges a submission, each student sees exactly what it holds
for them and confirms it or reports a problem inside the window (at least 3 days); the school
must act on a report within 3 days: it corrects and re-submits (R25), which opens a new
confirmation for the new version, and tells the student what it did.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from licheng.audit.domain import record
from licheng.lib import events
from licheng.schools.models import Student

from ..enums import AckStatus
from ..models import ReceiptAck

SCHOOL_DAYS = 3  # R36: the school investigates a report within 3 days
MAX_MESSAGE = 500


class ReceiptError(ValueError):
    pass


def _check_open(ack: ReceiptAck, today: dt.date) -> None:
    if ack.status != AckStatus.PENDING:
        raise ReceiptError("此收訖明細已回覆過")
    if today > ack.closes_on:
        raise ReceiptError(f"確認期限已於 {ack.closes_on:%Y-%m-%d} 截止")
    if not ack.record.is_current:
        raise ReceiptError("此版本已由較新的版本取代，請確認最新的收訖明細")


@transaction.atomic
def confirm_receipt(ack: ReceiptAck, *, actor: Any) -> ReceiptAck:
    """The student confirms what the central repository holds is right (確認無誤)."""
    _check_open(ack, timezone.localdate())
    ack.status, ack.responded_at = AckStatus.CONFIRMED, timezone.now()
    ack.save(update_fields=["status", "responded_at"])
    record("central.receipt.confirm", actor=actor, obj=ack, school=ack.record.school)
    return ack


@transaction.atomic
def report_problem(ack: ReceiptAck, *, message: str, actor: Any) -> ReceiptAck:
    """The student reports a problem (回報問題); the school's 3-day clock starts."""
    message = message.strip()
    if not message:
        raise ReceiptError("請說明哪裡有問題")
    if len(message) > MAX_MESSAGE:
        raise ReceiptError(f"問題說明請在 {MAX_MESSAGE} 字以內")
    today = timezone.localdate()
    _check_open(ack, today)
    ack.status, ack.message, ack.responded_at = AckStatus.REPORTED, message, timezone.now()
    ack.school_due_on = today + dt.timedelta(days=SCHOOL_DAYS)
    ack.save(update_fields=["status", "message", "responded_at", "school_due_on"])
    record(
        "central.receipt.report",
        actor=actor,
        obj=ack,
        school=ack.record.school,
        after={"message": message},
    )
    return ack


@transaction.atomic
def resolve_report(ack: ReceiptAck, *, note: str, actor: Any) -> ReceiptAck:
    """The school records what it did about a report (學校處理); the student sees the note."""
    note = note.strip()
    if ack.status != AckStatus.REPORTED:
        raise ReceiptError("此明細沒有待處理的問題回報")
    if not note:
        raise ReceiptError("請填寫處理說明，學生會看到這段說明")
    ack.status, ack.school_note, ack.resolved_at = AckStatus.RESOLVED, note, timezone.now()
    ack.save(update_fields=["status", "school_note", "resolved_at"])
    student = Student.objects.filter(
        school=ack.record.school, national_id=ack.record.student.national_id
    ).first()
    events.request_notification(
        events.RECEIPT_TO_CONFIRM,
        f"receipt-resolved:{ack.pk}",
        [student.user] if student else [],
        title="學校已處理你回報的收訖問題",
        body=note,
        url=reverse("web:my_receipts"),
    )
    record(
        "central.receipt.resolve",
        actor=actor,
        obj=ack,
        school=ack.record.school,
        after={"note": note},
    )
    return ack
