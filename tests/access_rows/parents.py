"""Access rows of the parents area: binding steps, the homeroom queue, the parent's read-only
view, notifications and the calendar feed."""

from __future__ import annotations

from tests.access import EVERYONE, LOGGED_IN, Row


# kwargs are built once per visitor: each helper finds what the previous visit made.
def _pending(cast):
    from licheng.accounts.models import ParentBinding
    from tests.parents.helpers import make_binding

    student = cast["student"].student
    found = ParentBinding.objects.filter(student=student, email="mom@example.tw").first()
    return found or make_binding(student)


def _approved_for_parent(cast):
    from licheng.accounts.enums import BindingStatus
    from licheng.accounts.models import ParentBinding
    from tests.parents.helpers import make_binding

    student, parent = cast["student"].student, cast["parent"]
    found = ParentBinding.objects.filter(student=student, parent=parent).first()
    return found or make_binding(student, parent=parent, status=BindingStatus.APPROVED)


def _notification_for_student(cast):
    from licheng.notifications.domain.notify import notify
    from licheng.notifications.models import Notification

    notify("binding_decided", "matrix", cast["student"], title="測試通知", url="/")
    return {"pk": Notification.objects.get(event_key="matrix").pk}


_TOKENS: dict[int, str] = {}


def _feed_token(cast):
    from licheng.notifications.domain.feeds import create_feed
    from licheng.notifications.models import CalendarFeed

    user = cast["student"]
    if user.pk not in _TOKENS or not CalendarFeed.objects.filter(user=user).exists():
        _TOKENS[user.pk] = create_feed(user)
    return {"token": _TOKENS[user.pk]}


# Steps 2–4 and the status page need an e-mail verified in this session: everyone without one is
# sent back to step 1 (a logged-in parent sees their own applications on the status page).
ROWS = [
    Row("web:binding_start", EVERYONE),
    Row("web:binding_verify", EVERYONE),
    Row("web:binding_student", EVERYONE, ok=frozenset({302})),
    Row("web:binding_statement", EVERYONE, ok=frozenset({302})),
    Row("web:binding_parent", EVERYONE, ok=frozenset({302})),
    Row("web:binding_status", EVERYONE, ok=frozenset({200, 302})),
    # Nobody in the cast sent this application: refused for all.
    Row(
        "web:binding_cancel",
        frozenset(),
        kwargs=lambda cast: {"pk": _pending(cast).pk},
        method="post",
    ),
    # The homeroom teacher may print it; so may the applicant (tested in tests/parents).
    Row(
        "web:binding_pdf",
        frozenset({"teacher"}),
        kwargs=lambda cast: {"pk": _pending(cast).pk},
        ok=frozenset({200, 503}),
        note="503 only where the CJK font is missing",
    ),
    Row("web:binding_queue", frozenset({"teacher"})),
    Row(
        "web:binding_decide",
        frozenset({"teacher"}),
        kwargs=lambda cast: {"pk": _pending(cast).pk},
        method="post",
        ok=frozenset({302}),
    ),
    Row("web:parent_children", frozenset({"parent"})),
    Row(
        "web:parent_child",
        frozenset({"parent"}),
        kwargs=lambda cast: {"pk": _approved_for_parent(cast).student_id},
    ),
    Row("web:notifications", LOGGED_IN),
    Row("web:notification_bell", LOGGED_IN),
    Row(
        "web:notification_read",
        frozenset({"student"}),
        kwargs=_notification_for_student,
        method="post",
        ok=frozenset({302}),
    ),
    Row("web:notifications_read_all", LOGGED_IN, method="post", ok=frozenset({302})),
    Row("web:notification_settings", LOGGED_IN),
    Row("web:calendar_feed", EVERYONE, kwargs=_feed_token),
]
