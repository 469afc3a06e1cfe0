"""Parents (家長) and notifications (通知): binding, read-only views, bell, calendar feed.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.domain.binding import children_of, queue_for
from licheng.accounts.enums import BindingStatus, Role
from licheng.accounts.models import ParentBinding

from ..menu import MenuEntry
from ..panels import Panel
from ..views.parents import binding, children, notifications, queue

urlpatterns: list[Any] = [
    path("parents/binding/", binding.start, name="binding_start"),
    path("parents/binding/verify/", binding.verify, name="binding_verify"),
    path("parents/binding/student/", binding.student, name="binding_student"),
    path("parents/binding/statement/", binding.statement, name="binding_statement"),
    path("parents/binding/parent/", binding.parent, name="binding_parent"),
    path("parents/binding/status/", binding.status, name="binding_status"),
    path("parents/binding/<int:pk>/cancel/", binding.cancel, name="binding_cancel"),
    path("parents/binding/<int:pk>/form.pdf", queue.binding_pdf, name="binding_pdf"),
    path("homeroom/bindings/", queue.binding_queue, name="binding_queue"),
    path("homeroom/bindings/<int:pk>/", queue.binding_decide, name="binding_decide"),
    path("parents/children/", children.parent_children, name="parent_children"),
    path("parents/children/<int:pk>/", children.parent_child, name="parent_child"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("calendar/<str:token>.ics", notifications.calendar_feed, name="calendar_feed"),
]

MENU: list[Any] = [
    MenuEntry(_("我的子女"), "web:parent_children", frozenset({Role.PARENT})),
    MenuEntry(_("親子綁定審核"), "web:binding_queue", frozenset({Role.HOMEROOM})),
    MenuEntry(_("通知"), "web:notifications", frozenset(Role)),
]


def parent_panel(user) -> list[Panel]:
    if not user.has_role(Role.PARENT):
        return []
    return [Panel("web/parents/panels/parent.html", {"children": children_of(user)})]


def homeroom_panel(user) -> list[Panel]:
    if not user.has_role(Role.HOMEROOM):
        return []
    return [Panel("web/parents/panels/homeroom.html", {"pending": queue_for(user)})]


def student_parents_panel(user) -> list[Panel]:
    """A student sees who is bound (or asks to be bound) to them: their data, their right (R35)."""
    student = getattr(user, "student", None) if user.has_role(Role.STUDENT) else None
    if student is None:
        return []
    bindings = list(
        ParentBinding.objects.filter(
            student=student, status__in=[BindingStatus.APPROVED, BindingStatus.PENDING]
        ).order_by("submitted_at")
    )
    if not bindings:
        return []
    return [Panel("web/parents/panels/student_parents.html", {"bindings": bindings})]


PANELS: list[Any] = [parent_panel, homeroom_panel, student_parents_panel]
