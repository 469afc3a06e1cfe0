"""R37: certifiers are reminded by e-mail of pending items before the certification deadline."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from licheng.portfolio.domain.outcomes import create_outcome
from licheng.portfolio.domain.reminders import send_certification_reminders
from licheng.schools.enums import WindowKind

from .conftest import open_window, pdf


def test_reminder_mail_lists_pending_items_near_the_deadline(
    student, course, teacher, school_a, django_capture_on_commit_callbacks
):
    create_outcome(
        student,
        course=course,
        title="報告",
        description="我學到了方法",
        document=pdf(),
        actor=student.user,
    )
    open_window(school_a, WindowKind.CERTIFICATION, opens=-30, closes=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_certification_reminders(timezone.localdate()) == 1
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert "化學（T001）：1 件" in message.body


def test_no_reminder_when_deadline_is_far(student, course, school_a):
    create_outcome(
        student,
        course=course,
        title="報告",
        description="我學到了方法",
        document=pdf(),
        actor=student.user,
    )
    open_window(school_a, WindowKind.CERTIFICATION, opens=-30, closes=30)
    assert send_certification_reminders(timezone.localdate()) == 0
    assert mail.outbox == []
