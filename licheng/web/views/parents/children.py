"""The parent's read-only view of their children (家長檢視子女學習歷程, R33)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from licheng.accounts.domain.binding import children_of, is_parent_of
from licheng.accounts.enums import Role
from licheng.audit.domain import record
from licheng.schools.models import Student

from ...permissions import require_role
from . import portfolio_sections  # noqa: F401  (registers the portfolio sections and file rule)
from .sections import sections_for


def child_for(user, pk: int) -> Student:
    """The child ``pk`` if ``user`` is their approved parent; 404 otherwise (R33)."""
    student = Student.objects.select_related("school", "user").filter(pk=pk).first()
    if student is None or not is_parent_of(user, student):
        raise Http404
    return student


@login_required
def parent_children(request):
    require_role(request.user, Role.PARENT)
    return render(request, "web/parents/children.html", {"children": children_of(request.user)})


@login_required
def parent_child(request, pk: int):
    require_role(request.user, Role.PARENT)
    student = child_for(request.user, pk)
    # R35: who read what is logged; a parent reading a child's portfolio is such a read.
    record("parents.child.view", actor=request.user, obj=student, school=student.school)
    return render(
        request,
        "web/parents/child.html",
        {
            "student": student,
            "sections": sections_for(student, request.user),
            "children": children_of(request.user),
        },
    )
