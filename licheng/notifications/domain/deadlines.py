"""Whose deadlines a window is (作業期程的對象), for reminders, calendar feeds and parents.

Students (and, through R33, their bound parents) upload and select; teachers certify; the school
administrators submit. A window concerns only the people of its own school.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from licheng.accounts.enums import BindingStatus, Role
from licheng.accounts.models import User
from licheng.lib.roc import Term
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import StudentStatus, WindowKind
from licheng.schools.models import School, Student, Window

STUDENT_KINDS = frozenset(
    {WindowKind.OUTCOME_UPLOAD, WindowKind.PERFORMANCE_UPLOAD, WindowKind.SELECTION}
)
TEACHER_KINDS = frozenset({WindowKind.CERTIFICATION})
ADMIN_KINDS = frozenset(WindowKind)


def school_windows(school: School, academic_years: list[int]) -> list[Window]:
    """Every window of the given years, the school's own dates or the defaults."""
    result = []
    for year in academic_years:
        for kind in WindowKind:
            for semester in (1, 2) if kind.per_semester else (0,):
                result.append(window_for(school, kind, year, semester))
    return sorted(result, key=lambda w: (w.closes_on, w.kind))


def nearby_years(day: dt.date) -> list[int]:
    # Selection for last year runs while this year's uploads do.
    year = Term.of(day).academic_year
    return [year - 1, year]


def audience(window: Window) -> list[User]:
    """Who is reminded of ``window``: active accounts of its school with the right role."""
    kind = WindowKind(window.kind)
    users = User.objects.none()
    if kind in STUDENT_KINDS:
        students = Student.objects.filter(school=window.school, status=StudentStatus.ENROLLED)
        users |= User.objects.filter(student__in=students)
        users |= User.objects.filter(
            child_bindings__student__in=students, child_bindings__status=BindingStatus.APPROVED
        )
    if kind in TEACHER_KINDS:
        users |= User.objects.filter(roles__role=Role.TEACHER, roles__school=window.school)
    if kind in ADMIN_KINDS:
        users |= User.objects.filter(roles__role=Role.SCHOOL_ADMIN, roles__school=window.school)
    return list(users.filter(is_active=True).distinct())


def windows_for_person(user: Any, day: dt.date) -> list[Window]:
    """The windows that are this person's deadlines (their own, their children's, their
    school's), for their calendar feed."""
    years = nearby_years(day)
    found: dict[tuple, Window] = {}

    def add(school: School, kinds: frozenset[WindowKind]) -> None:
        for w in school_windows(school, years):
            if w.kind in kinds:
                found[(school.pk, w.kind, w.academic_year, w.semester)] = w

    student = getattr(user, "student", None) if user.has_role(Role.STUDENT) else None
    if student is not None:
        add(student.school, STUDENT_KINDS)
    children = Student.objects.filter(
        parent_bindings__parent=user, parent_bindings__status=BindingStatus.APPROVED
    ).select_related("school")
    for child in children:
        add(child.school, STUDENT_KINDS)
    for school in School.objects.filter(
        staff_roles__user=user, staff_roles__role=Role.TEACHER
    ).distinct():
        add(school, TEACHER_KINDS)
    for school in School.objects.filter(
        staff_roles__user=user, staff_roles__role=Role.SCHOOL_ADMIN
    ).distinct():
        add(school, ADMIN_KINDS)
    return sorted(found.values(), key=lambda w: (w.closes_on, w.kind))
