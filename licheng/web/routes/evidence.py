"""Evidence (學習歷程檔案): course learning outcomes, diverse performances, certification, files.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role

from ..menu import MenuEntry
from ..panels import Panel
from ..views.evidence import (
    admin,
    certification,
    file_hints,
    files,
    outcomes,
    performance_edit,
    performances,
    replaced_files,
)

urlpatterns: list[Any] = [
    path("files/<uuid:pk>/", files.evidence_file, name="evidence_file"),
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/<int:pk>/", outcomes.outcome, name="outcome"),
    path("outcomes/<int:pk>/delete/", outcomes.outcome_delete, name="outcome_delete"),
    path("outcomes/hints/", outcomes.hints, name="evidence_hints"),
    path("uploads/hints/", file_hints.file_hints, name="evidence_file_hints"),
    path("performances/", performances.performances, name="performances"),
    path("performances/<int:pk>/", performance_edit.performance_edit, name="performance_edit"),
    path(
        "performances/<int:pk>/delete/",
        performance_edit.performance_delete,
        name="performance_delete",
    ),
    path("certification/", certification.certification, name="certification"),
    path(
        "certification/<int:course_pk>/",
        certification.certification_course,
        name="certification_course",
    ),
    path(
        "certification/outcome/<int:pk>/return/",
        certification.outcome_return,
        name="outcome_return",
    ),
    path("school/proxy-certifiers/", admin.proxy_certifiers, name="proxy_certifiers"),
    path("school/replaced-files/", replaced_files.replaced_files, name="replaced_files"),
    path("central/organizers/", admin.organizer_keys, name="organizer_keys"),
]

MENU: list[Any] = [
    MenuEntry(_("課程學習成果"), "web:outcomes", frozenset({Role.STUDENT})),
    MenuEntry(_("多元表現"), "web:performances", frozenset({Role.STUDENT})),
    MenuEntry(_("成果認證"), "web:certification", frozenset({Role.TEACHER})),
    MenuEntry(_("認證代理人"), "web:proxy_certifiers", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("舊版檔案"), "web:replaced_files", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("主辦機構金鑰"), "web:organizer_keys", frozenset({Role.CENTRAL_ADMIN})),
]


def student_evidence_panel(user) -> list[Panel]:
    """R34: the student's storage bar, and where their outcomes stand."""
    student = getattr(user, "student", None)
    if student is None:
        return []
    from licheng.evidence.domain.files import quota_bytes, used_bytes
    from licheng.portfolio.queries import outcomes_of

    used, quota = used_bytes(student), quota_bytes(student)
    states: dict[str, int] = {}
    for item in outcomes_of(student):
        states[item.get_state_display()] = states.get(item.get_state_display(), 0) + 1
    return [
        Panel(
            "web/evidence/panel_student.html",
            {
                "used": used,
                "quota": quota,
                "percent": min(100, round(100 * used / quota)),
                "states": states,
            },
        )
    ]


def teacher_evidence_panel(user) -> list[Panel]:
    if not user.has_role(Role.TEACHER):
        return []
    from licheng.portfolio.queries import certifiable_courses

    courses = [c for c in certifiable_courses(user) if c.pending]
    return [
        Panel(
            "web/evidence/panel_teacher.html",
            {"courses": courses, "total": sum(c.pending for c in courses)},
        )
    ]


def organizer_panel(user) -> list[Panel]:
    """R19: an organizer's home: its API keys, what it imported, its last calls, and where the
    API it works through is described."""
    from licheng.portfolio.queries import organizer_overview

    overview = organizer_overview(user)
    if overview is None:
        return []
    return [Panel("web/evidence/panel_organizer.html", {"overview": overview})]


PANELS: list[Any] = [student_evidence_panel, teacher_evidence_panel, organizer_panel]
