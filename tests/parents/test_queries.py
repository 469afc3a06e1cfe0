"""Query counts of the pages a parent and a homeroom teacher open often: flat in the items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licheng.accounts.enums import BindingStatus
from licheng.lib import events
from licheng.notifications.domain.notify import notify
from tests.factories import make_student

from .helpers import make_binding

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_homeroom_queue_queries_do_not_grow_with_applications(
    school_a, homeroom_class, student, teacher, login
):
    client = login(teacher)
    make_binding(student, email="a@example.tw")
    one = _queries(client, reverse("web:binding_queue"))
    for n in range(2):
        other = make_student(school_a, school_class=homeroom_class)
        make_binding(other, email=f"b{n}@example.tw")

    three = _queries(client, reverse("web:binding_queue"))

    assert three == one


def test_notification_list_queries_do_not_grow_with_notifications(teacher, login):
    client = login(teacher)
    notify(events.OUTCOME_RETURNED, "a", teacher, title="一")
    one = _queries(client, reverse("web:notifications"))
    notify(events.OUTCOME_RETURNED, "b", teacher, title="二")
    notify(events.OUTCOME_RETURNED, "c", teacher, title="三")

    assert _queries(client, reverse("web:notifications")) == one


def test_parent_dashboard_queries_do_not_grow_with_children(
    school_a, homeroom_class, student, parent, login
):
    client = login(parent)
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    one = _queries(client, reverse("web:parent_children"))
    for _ in range(2):
        child = make_student(school_a, school_class=homeroom_class)
        make_binding(child, parent=parent, status=BindingStatus.APPROVED)

    assert _queries(client, reverse("web:parent_children")) == one
