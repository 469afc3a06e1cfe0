"""Who may read files attached to outcomes and performances (registered with evidence.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from licheng.accounts.domain.binding import is_parent_of
from licheng.accounts.enums import Role
from licheng.evidence.access import register_reader
from licheng.evidence.models import StoredFile

from .models import LearningOutcome, Performance, ProxyCertifier


def _outcomes_with(stored: StoredFile):
    return LearningOutcome.objects.filter(Q(document=stored) | Q(media=stored))


@register_reader
def course_certifier(user: Any, stored: StoredFile) -> bool:
    """The course teacher or proxy while certifying (R13, R37): files of their course's outcomes."""
    # Outcomes brought from a previous school (R38) have no course here, so no certifier.
    outcomes = _outcomes_with(stored).exclude(state="draft").filter(course__isnull=False)
    for outcome in outcomes.select_related("course"):
        if outcome.course.teachers.filter(pk=user.pk).exists():
            return True
        if ProxyCertifier.objects.filter(course=outcome.course, teacher=user).exists():
            return True
    return False


def _students_of(stored: StoredFile) -> list:
    """The students a file belongs to: the owner and the students of items it is attached to."""
    students = [o.student for o in _outcomes_with(stored).select_related("student")]
    students += [
        p.student for p in Performance.objects.filter(files=stored).select_related("student")
    ]
    if stored.owner is not None:
        students.append(stored.owner)
    return students


@register_reader
def item_owner_and_school(user: Any, stored: StoredFile) -> bool:
    """The student and their school's administrators, for files of their items (incl. imports)."""
    return any(
        s.user_id == user.pk or user.has_role(Role.SCHOOL_ADMIN, s.school_id)
        for s in _students_of(stored)
    )


@register_reader
def bound_parent(user: Any, stored: StoredFile) -> bool:
    """Parents with an approved binding (R33) read their child's files; the view is read-only."""
    if not user.has_role(Role.PARENT):
        return False
    return any(is_parent_of(user, s) for s in _students_of(stored))
