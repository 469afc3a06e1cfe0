"""Notifications other areas raise: an outcome returned (R13) and a receipt to confirm (R36)."""

from __future__ import annotations

import pytest
from django.core import mail

from licheng.notifications.models import Notification
from tests.central.records import make_record

pytestmark = pytest.mark.django_db


def test_returned_outcome_notifies_the_student(
    student, teacher, django_capture_on_commit_callbacks
):
    """R13: the student is told their outcome was returned, with the reason."""
    from licheng.portfolio.domain.outcomes import return_outcome
    from tests.parents.test_child_portfolio import _outcome

    outcome = _outcome(student, teacher, state="submitted", title="化學實驗報告")
    with django_capture_on_commit_callbacks(execute=True):
        return_outcome(outcome, teacher=teacher, reason="unreadable")

    note = Notification.objects.get(kind="outcome_returned")
    assert note.recipient == student.user
    assert "化學實驗報告" in note.title
    assert "檔案無法開啟或閱讀" in note.body
    assert any("化學實驗報告" in m.subject for m in mail.outbox)


def test_receipt_notifies_the_student_once_per_submission(student):
    """R36: a new receipt waits for the student; re-sending the same package adds nothing."""
    make_record(student)
    make_record(student)  # the same data again: no new version (R25), no new notification

    notes = Notification.objects.filter(kind="receipt_to_confirm")
    assert [n.recipient for n in notes] == [student.user]
    assert notes.get().url == "/me/receipts/"


def test_certifier_is_told_weekly_of_outcomes_waiting(student, teacher, other_teacher):
    """R13/R37: outcomes waiting for certification are told to their teacher once a week."""
    import datetime as dt

    from django.utils import timezone

    from licheng.notifications.domain.certification import send_certification_waiting
    from licheng.schools.enums import WindowKind
    from tests.parents.test_child_portfolio import _outcome
    from tests.portfolio.conftest import open_window

    open_window(student.school, WindowKind.CERTIFICATION, opens=-10, closes=20)
    _outcome(student, teacher, state="submitted", title="報告一")
    _outcome(student, teacher, state="submitted", title="報告二")
    today = timezone.localdate()
    later_same_week = today + dt.timedelta(days=1) if today.weekday() < 6 else today

    assert send_certification_waiting(today) == 1
    assert send_certification_waiting(later_same_week) == 0  # once a week
    note = Notification.objects.get(kind="certification_waiting")
    assert note.recipient == teacher
    assert note.title.startswith("有 2 件課程學習成果待認證")
    assert not Notification.objects.filter(recipient=other_teacher).exists()
    assert send_certification_waiting(today + dt.timedelta(days=7)) == 1  # still waiting
