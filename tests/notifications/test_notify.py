"""Notifications: once per event and person, delivered by a task that is safe to run twice."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from licheng.lib import events
from licheng.notifications.domain.delivery import deliver
from licheng.notifications.domain.notify import (
    channel_for,
    notify,
    notify_many,
    set_preferences,
    unread_count,
)
from licheng.notifications.enums import Channel
from licheng.notifications.models import Notification
from licheng.notifications.tasks import deliver_notifications

pytestmark = pytest.mark.django_db


def test_same_event_notifies_a_person_once(teacher):
    first = notify(events.OUTCOME_RETURNED, "outcome:7", teacher, title="退回")
    second = notify(events.OUTCOME_RETURNED, "outcome:7", teacher, title="退回")

    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1


def test_another_kind_or_event_is_a_new_notification(teacher):
    notify(events.OUTCOME_RETURNED, "outcome:7", teacher, title="退回")
    notify(events.OUTCOME_RETURNED, "outcome:8", teacher, title="退回")
    notify(events.CERTIFICATION_WAITING, "outcome:7", teacher, title="待認證")

    assert Notification.objects.count() == 3


def test_notify_many_skips_those_already_notified(teacher, school_admin, student):
    notify_many(events.RECEIPT_TO_CONFIRM, "receipt:1", [teacher], title="收訖明細")

    created = notify_many(
        events.RECEIPT_TO_CONFIRM, "receipt:1", [teacher, school_admin, student.user], title="x"
    )

    assert sorted(n.recipient_id for n in created) == sorted([school_admin.pk, student.user.pk])


def test_unknown_kind_is_refused(teacher):
    with pytest.raises(ValueError):
        notify("gossip", "x", teacher, title="x")


def test_delivery_task_run_twice_sends_one_email(teacher, django_capture_on_commit_callbacks):
    """No duplicate notification e-mail when the delivery task runs twice."""
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(events.CERTIFICATION_WAITING, "cert:1", teacher, title="有 3 件待認證")
    assert len(mail.outbox) == 1  # the immediate backend ran the task on commit

    deliver_notifications.enqueue([note.pk])
    deliver([note.pk])

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [teacher.email]
    assert "有 3 件待認證" in mail.outbox[0].subject


def test_in_app_only_is_not_emailed(teacher, django_capture_on_commit_callbacks):
    set_preferences(teacher, {events.CERTIFICATION_WAITING: Channel.IN_APP})

    with django_capture_on_commit_callbacks(execute=True):
        notify(events.CERTIFICATION_WAITING, "cert:2", teacher, title="待認證")

    assert mail.outbox == []
    assert unread_count(teacher) == 1
    assert channel_for(teacher, events.OUTCOME_RETURNED) == Channel.EMAIL  # other kinds unchanged


def test_data_apps_request_notifications_through_the_signal(teacher):
    """Lower apps cannot import notifications; their requests become notifications all the same."""
    events.request_notification(
        events.OUTCOME_RETURNED, "outcome:9", [teacher, teacher], title="退回"
    )

    assert Notification.objects.filter(recipient=teacher, kind="outcome_returned").count() == 1


def test_rolled_back_change_emails_nobody(teacher, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(events.OUTCOME_RETURNED, "outcome:10", teacher, title="退回")
        raise RuntimeError("the change failed")

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_bell_shows_the_unread_count(teacher, login):
    notify(events.OUTCOME_RETURNED, "a", teacher, title="一")
    notify(events.OUTCOME_RETURNED, "b", teacher, title="二")

    html = login(teacher).get(reverse("web:notification_bell")).content.decode()

    assert '<span class="bell-count">2</span>' in html


def test_opening_a_notification_marks_it_read(teacher, login):
    note = notify(events.OUTCOME_RETURNED, "a", teacher, title="一", url="/notifications/")
    client = login(teacher)

    response = client.post(reverse("web:notification_read", args=[note.pk]))

    assert response["Location"] == "/notifications/"
    assert unread_count(teacher) == 0


def test_someone_elses_notification_is_not_found(teacher, other_teacher, login):
    note = notify(events.OUTCOME_RETURNED, "a", teacher, title="一")

    response = login(other_teacher).post(reverse("web:notification_read", args=[note.pk]))

    assert response.status_code == 404
    assert unread_count(teacher) == 1


def test_read_all(teacher, login):
    notify(events.OUTCOME_RETURNED, "a", teacher, title="一")
    notify(events.OUTCOME_RETURNED, "b", teacher, title="二")

    login(teacher).post(reverse("web:notifications_read_all"))

    assert unread_count(teacher) == 0


def test_preferences_page_saves_the_channel_per_kind(teacher, login):
    data = {"action": "save", **dict.fromkeys(_kinds(), "email")}
    data[events.WINDOW_CLOSING] = "in_app"

    response = login(teacher).post(reverse("web:notification_settings"), data)

    assert response.status_code == 302
    assert channel_for(teacher, events.WINDOW_CLOSING) == Channel.IN_APP


def test_preferences_page_refuses_an_unknown_channel(teacher, login):
    data = {"action": "save", **dict.fromkeys(_kinds(), "email")}
    data[events.WINDOW_CLOSING] = "pigeon"

    response = login(teacher).post(reverse("web:notification_settings"), data)

    assert response.status_code == 400
    assert channel_for(teacher, events.WINDOW_CLOSING) == Channel.EMAIL


def _kinds():
    from licheng.notifications.enums import NotificationKind

    return NotificationKind.values
