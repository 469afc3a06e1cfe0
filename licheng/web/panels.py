"""Dashboard panels, one function per role or feature, each returning template + context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.lib.roc import Term
from licheng.schools.domain.windows import relevant_windows
from licheng.schools.models import School, SchoolClass, Student
from licheng.schools.queries import current_class


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _windows(school: School) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {"window": w, "open": w.is_open(today), "days_left": w.days_left(today)}
        for w in relevant_windows(school, today)
    ]


def student_panel(user) -> list[Panel]:
    student = getattr(user, "student", None)
    if student is None:
        return []
    return [
        Panel(
            "web/panels/student.html",
            {
                "student": student,
                "term": Term.current(),
                "school_class": current_class(student),
                "windows": _windows(student.school),
            },
        )
    ]


def staff_panel(user) -> list[Panel]:
    panels = []
    roles = (Role.TEACHER, Role.COUNSELOR, Role.HOMEROOM, Role.SCHOOL_ADMIN)
    school_ids = {a.school_id for a in user.role_assignments if a.role in roles}
    term = Term.current()
    for school in School.objects.filter(pk__in=school_ids):
        mine = [a.get_role_display() for a in user.role_assignments if a.school_id == school.pk]
        context: dict[str, Any] = {
            "school": school,
            "roles": mine,
            "term": term,
            "windows": _windows(school),
            "homeroom_classes": SchoolClass.objects.filter(
                school=school, homeroom_teacher=user, academic_year=term.academic_year
            ).annotate(size=Count("enrolments")),
        }
        if user.has_role(Role.SCHOOL_ADMIN, school.pk):
            context["student_count"] = Student.objects.filter(school=school).count()
            context["class_count"] = SchoolClass.objects.filter(
                school=school, academic_year=term.academic_year
            ).count()
        panels.append(Panel("web/panels/staff.html", context))
    return panels


def central_panel(user) -> list[Panel]:
    if not user.has_role(Role.CENTRAL_ADMIN):
        return []
    schools = School.objects.annotate(student_count=Count("students")).order_by("code")
    return [Panel("web/panels/central.html", {"schools": schools, "term": Term.current()})]


def other_roles_panel(user) -> list[Panel]:
    roles = [
        a.get_role_display()
        for a in user.role_assignments
        if a.role in (Role.PARENT, Role.ORGANIZER, Role.COMMITTEE, Role.REVIEWER)
    ]
    if not roles:
        return []
    return [Panel("web/panels/roles.html", {"roles": roles})]


PANELS: list[Callable[[Any], list[Panel]]] = [
    student_panel,
    staff_panel,
    central_panel,
    other_roles_panel,
]


def panels_for(user) -> list[Panel]:
    from .routes import AREAS

    result: list[Panel] = []
    for build in [*PANELS, *(b for area in AREAS for b in area.PANELS)]:
        result.extend(build(user))
    return result
