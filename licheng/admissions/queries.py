"""Permission-scoped reads: who may see which department, application and package.

Views never fetch admission data raw: a person outside the scope gets a 404 (or 403 when the
object is theirs but the moment is wrong, e.g. after the review period).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from licheng.accounts.enums import Role

from .domain.review import review_open
from .enums import ApplicationState
from .models import Application, ApplicationItem, Department, DepartmentReviewer, Registration


def require_committee(user: Any) -> None:
    """Admission committee staff (招生委員會) set up years, channels and departments."""
    if not user.is_authenticated or not user.has_role(Role.COMMITTEE):
        raise PermissionDenied


def student_of(user: Any):
    if not user.is_authenticated or not user.has_role(Role.STUDENT):
        raise PermissionDenied
    student = getattr(user, "student", None)
    if student is None:
        raise PermissionDenied
    return student


def registrations_of(user: Any) -> QuerySet[Registration]:
    return Registration.objects.filter(student=student_of(user)).select_related("channel__year")


def get_registration_for(user: Any, pk: int) -> Registration:
    try:
        return registrations_of(user).get(pk=pk)
    except Registration.DoesNotExist:
        raise Http404 from None


def get_application_for_student(user: Any, pk: int) -> Application:
    """The student's own application (any other student's is a 404)."""
    try:
        return Application.objects.select_related(
            "department__channel__year", "registration__student__school"
        ).get(pk=pk, registration__student=student_of(user))
    except Application.DoesNotExist:
        raise Http404 from None


def get_item_for_student(user: Any, pk: int) -> ApplicationItem:
    try:
        return ApplicationItem.objects.select_related("application").get(
            pk=pk, application__registration__student=student_of(user)
        )
    except ApplicationItem.DoesNotExist:
        raise Http404 from None


def seats_of(user: Any) -> QuerySet[DepartmentReviewer]:
    if not user.is_authenticated or not user.has_role(Role.REVIEWER):
        raise PermissionDenied
    return DepartmentReviewer.objects.filter(user=user).select_related("department__channel__year")


def get_department_for_reviewer(user: Any, pk: int, *, chair: bool = False) -> Department:
    """A department the user reviews for, during its review period (R41); chair-only pages too."""
    seat = seats_of(user).filter(department_id=pk).first()
    if seat is None or (chair and not seat.is_chair):
        raise Http404
    if not review_open(seat.department):
        raise PermissionDenied("不在此校系的審查期間內")
    return seat.department


def released_applications(department: Department) -> QuerySet[Application]:
    """R39/R41: reviewers see only released (submitted) applications of their department."""
    return (
        Application.objects.filter(department=department, state=ApplicationState.SUBMITTED)
        .select_related("registration__student__school", "department", "resolution")
        .order_by("pk")
    )


def get_application_for_reviewer(user: Any, pk: int) -> Application:
    try:
        application = Application.objects.select_related("department").get(
            pk=pk, state=ApplicationState.SUBMITTED
        )
    except Application.DoesNotExist:
        raise Http404 from None
    get_department_for_reviewer(user, application.department_id)
    return application
