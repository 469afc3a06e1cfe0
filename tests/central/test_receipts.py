"""R36: the student sees what the central repository holds and confirms it or reports a problem;
the school handles reports within 3 days; the student sees the school's note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from licheng.central.domain.receipts import (
    ReceiptError,
    confirm_receipt,
    report_problem,
    resolve_report,
)

from .packages import outcome
from .records import make_record


def test_r36_student_sees_exactly_what_was_received(student, login):
    make_record(student)
    page = login(student.user).get("/me/receipts/").content.decode()
    assert "成果 o1" in page and "表現 p1" in page
    assert "確認無誤" in page


def test_r36_receipts_read_in_english_when_chosen(student, login):
    """R36: on English pages the receipt's year and its status read in English."""
    make_record(student)
    client = login(student.user)
    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get("/me/receipts/").content.decode()
    assert "Awaiting confirmation" in page and "待確認" not in page and "學年度" not in page


def test_r36_student_confirms(student, login):
    ack = make_record(student).ack
    response = login(student.user).post(f"/me/receipts/{ack.pk}/answer/", {"answer": "confirm"})
    assert response.status_code == 302
    ack.refresh_from_db()
    assert ack.status == "confirmed"


def test_r36_report_needs_a_message(student):
    ack = make_record(student).ack
    with pytest.raises(ReceiptError, match="請說明哪裡有問題"):
        report_problem(ack, message="  ", actor=student.user)


def test_r36_report_gives_the_school_3_days_and_the_student_sees_the_answer(
    student, school_admin, login
):
    ack = make_record(student).ack
    report_problem(ack, message="少了物理報告", actor=student.user)
    ack.refresh_from_db()
    assert ack.school_due_on == timezone.localdate() + dt.timedelta(days=3)
    reports = login(school_admin).get("/school/receipts/").content.decode()
    assert "少了物理報告" in reports
    login(school_admin).post(f"/school/receipts/{ack.pk}/resolve/", {"note": "已補件並重新提交"})
    ack.refresh_from_db()
    assert ack.status == "resolved"
    assert "已補件並重新提交" in login(student.user).get("/me/receipts/").content.decode()


def test_r36_window_closes(student):
    ack = make_record(student).ack
    ack.closes_on = timezone.localdate() - dt.timedelta(days=1)
    ack.save()
    with pytest.raises(ReceiptError, match="確認期限已於"):
        confirm_receipt(ack, actor=student.user)


def test_r36_corrected_version_opens_a_new_confirmation(student):
    """After the school re-submits a correction (R25), the student confirms the new version."""
    first = make_record(student)
    report_problem(first.ack, message="少了一件", actor=student.user)
    second = make_record(student, items=[outcome("o1"), outcome("o2")])
    assert second.version == 2 and second.ack.status == "pending"
    with pytest.raises(ReceiptError):
        resolve_report(second.ack, note="x", actor=None)


def test_a_student_cannot_answer_anothers_receipt(student, other_student, login):
    ack = make_record(student).ack
    response = login(other_student.user).post(
        f"/me/receipts/{ack.pk}/answer/", {"answer": "confirm"}
    )
    assert response.status_code in (403, 404)
    ack.refresh_from_db()
    assert ack.status == "pending"


def test_another_school_cannot_resolve(student, other_school_admin, login):
    ack = make_record(student).ack
    report_problem(ack, message="錯了", actor=student.user)
    response = login(other_school_admin).post(f"/school/receipts/{ack.pk}/resolve/", {"note": "x"})
    assert response.status_code == 404


def test_r36_dashboard_tells_the_student_a_receipt_waits(student, login):
    make_record(student)
    page = login(student.user).get("/").content.decode()
    assert "有 1 份收訖明細等你確認" in page


def test_dashboard_tells_the_school_of_open_reports(student, school_admin, login):
    ack = make_record(student).ack
    report_problem(ack, message="錯了", actor=student.user)
    assert "1 件學生回報的問題待處理" in login(school_admin).get("/").content.decode()


def test_r36_student_is_told_of_the_receipt_and_of_the_schools_answer(student, school_admin):
    """R36: a new version tells the student to confirm; the school's answer reaches them too."""
    from licheng.notifications.models import Notification

    ack = make_record(student).ack
    assert (
        Notification.objects.filter(recipient=student.user, kind="receipt_to_confirm").count() == 1
    )
    report_problem(ack, message="少了一件", actor=student.user)
    resolve_report(ack, note="已補上並重新提交", actor=school_admin)
    titles = list(
        Notification.objects.filter(recipient=student.user).values_list("title", flat=True)
    )
    assert "學校已處理你回報的收訖問題" in titles
