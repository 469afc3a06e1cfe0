"""Window reminders N days before (R12, R23 deadlines) and the calendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from licheng.accounts.enums import BindingStatus
from licheng.lib.roc import Term
from licheng.notifications.domain import feeds
from licheng.notifications.domain.reminders import send_window_reminders
from licheng.notifications.models import Notification
from licheng.schools.domain.policy import update_policy
from licheng.schools.domain.windows import set_window
from licheng.schools.enums import WindowKind
from tests.parents.helpers import make_binding

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_window(school_a, school_admin):
    """An outcome-upload window of school A closing on 15 March of this academic year."""
    year = Term.current().academic_year
    return set_window(
        school_a,
        kind=WindowKind.OUTCOME_UPLOAD,
        academic_year=year,
        semester=2,
        opens_on=dt.date(year + 1912, 2, 16),
        closes_on=dt.date(year + 1912, 3, 15),
        actor=school_admin,
    )


def test_closing_reminder_goes_to_students_and_their_parents(
    upload_window, student, other_student, parent, teacher
):
    """R12: students (and bound parents) are told N days before the upload window closes; the
    school administrators are told of every window of their school."""
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    day = upload_window.closes_on - dt.timedelta(days=3)

    send_window_reminders(day)

    closing = Notification.objects.filter(
        kind="window_closing", event_key__contains="outcome_upload"
    )
    recipients = {n.recipient for n in closing}
    assert {student.user, parent} <= recipients
    assert other_student.user not in recipients  # another school's window
    assert teacher not in recipients  # teachers are reminded of certification, not uploads
    assert "截止" in closing.first().title


def test_reminders_run_twice_notify_once(upload_window, student):
    """The scheduled job may run twice a day or every day of the N: one reminder per person."""
    day = upload_window.closes_on - dt.timedelta(days=3)

    first = send_window_reminders(day)
    second = send_window_reminders(day)
    third = send_window_reminders(day + dt.timedelta(days=1))

    assert first > 0
    assert second == 0
    assert third == 0
    assert (
        Notification.objects.filter(recipient=student.user, kind="window_closing")
        .filter(event_key__contains="outcome_upload:")
        .count()
        == 1
    )


def test_reminder_days_are_set_by_the_school(upload_window, student, school_a, school_admin):
    update_policy(school_a, actor=school_admin, reminder_days=2)

    send_window_reminders(upload_window.closes_on - dt.timedelta(days=3))
    assert not Notification.objects.filter(event_key__contains="outcome_upload").exists()

    send_window_reminders(upload_window.closes_on - dt.timedelta(days=2))
    assert Notification.objects.filter(event_key__contains="outcome_upload").exists()


def test_opening_reminder_before_the_window_opens(upload_window, student):
    send_window_reminders(upload_window.opens_on - dt.timedelta(days=1))

    assert Notification.objects.filter(
        kind="window_opening", recipient=student.user, event_key__contains="outcome_upload"
    ).exists()


def test_certification_reminder_goes_to_teachers_not_students(
    school_a, school_admin, teacher, student
):
    year = Term.current().academic_year
    window = set_window(
        school_a,
        kind=WindowKind.CERTIFICATION,
        academic_year=year,
        semester=2,
        opens_on=dt.date(year + 1912, 2, 16),
        closes_on=dt.date(year + 1912, 3, 31),
        actor=school_admin,
    )

    send_window_reminders(window.closes_on - dt.timedelta(days=1))

    recipients = {
        n.recipient for n in Notification.objects.filter(event_key__contains=":certification:")
    }
    assert teacher in recipients
    assert student.user not in recipients


def test_reminder_command(upload_window, student):
    day = upload_window.closes_on - dt.timedelta(days=1)

    call_command("send_reminders", "--day", day.isoformat())

    assert Notification.objects.filter(recipient=student.user).exists()


def test_calendar_feed_lists_the_persons_deadlines(upload_window, student, client):
    token = feeds.create_feed(student.user)

    response = client.get(reverse("web:calendar_feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{upload_window.closes_on:%Y%m%d}" in body
    assert "截止：課程學習成果上傳" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_calendar_feed_and_reminders_stay_zh_hant_whatever_language_is_active(
    upload_window, student, client
):
    """Window names and semester labels are translated on English pages; what is kept or
    fetched by calendar apps (reminders, the feed) is written in zh-Hant all the same."""
    from django.utils import translation

    token = feeds.create_feed(student.user)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("web:calendar_feed", args=[token])).content.decode()
    assert "截止：課程學習成果上傳" in body and "Course learning" not in body
    with translation.override("en"):
        call_command(
            "send_reminders", "--day", (upload_window.closes_on - dt.timedelta(days=1)).isoformat()
        )
    title = Notification.objects.filter(recipient=student.user).latest("pk").title
    assert "課程學習成果上傳" in title and "學年度" in title, title


def test_calendar_feed_of_a_teacher_holds_certification_not_uploads(teacher, client):
    token = feeds.create_feed(teacher)

    body = client.get(reverse("web:calendar_feed", args=[token])).content.decode()

    assert "課程學習成果認證" in body
    assert "課程學習成果上傳" not in body


def test_revoked_or_replaced_feed_token_is_refused(student, client):
    old = feeds.create_feed(student.user)
    new = feeds.create_feed(student.user)

    assert client.get(reverse("web:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("web:calendar_feed", args=[new])).status_code == 200
    feeds.revoke_feed(student.user)
    assert client.get(reverse("web:calendar_feed", args=[new])).status_code == 404


def test_feed_token_is_stored_only_as_a_hash(student):
    from licheng.notifications.models import CalendarFeed

    token = feeds.create_feed(student.user)

    assert token not in CalendarFeed.objects.get().token_hash


def test_settings_page_shows_the_new_feed_url_once(student, login):
    client = login(student.user)

    response = client.post(reverse("web:notification_settings"), {"action": "feed_create"})

    assert response.status_code == 200
    assert "/calendar/" in response.content.decode()
    assert "/calendar/" not in client.get(reverse("web:notification_settings")).content.decode()
