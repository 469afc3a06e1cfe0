"""Dashboard panels of the admissions area: committee staff, reviewers, students who applied."""

from __future__ import annotations

from licheng.accounts.enums import Role
from licheng.admissions.domain.review import is_flagged, review_open
from licheng.admissions.models import AdmissionYear, Application, DepartmentReviewer, Registration

from ...panels import Panel


def committee_panel(user) -> list[Panel]:
    if not user.has_role(Role.COMMITTEE):
        return []
    year = AdmissionYear.objects.first()
    return [Panel("web/admissions/panels/committee.html", {"year": year})]


def reviewer_panel(user) -> list[Panel]:
    if not user.has_role(Role.REVIEWER):
        return []
    seats = DepartmentReviewer.objects.filter(user=user).select_related("department")
    rows = []
    for seat in seats:
        apps = Application.objects.filter(
            department=seat.department, state="submitted"
        ).prefetch_related("reviews")
        rows.append(
            {
                "seat": seat,
                "open": review_open(seat.department),
                "count": len(apps),
                "flagged": sum(1 for a in apps if is_flagged(a)) if seat.is_chair else None,
            }
        )
    return [Panel("web/admissions/panels/reviewer.html", {"rows": rows})]


def student_panel(user) -> list[Panel]:
    student = getattr(user, "student", None) if user.has_role(Role.STUDENT) else None
    if student is None or not Registration.objects.filter(student=student).exists():
        return []
    applications = Application.objects.filter(registration__student=student).select_related(
        "department", "registration__channel"
    )
    return [Panel("web/admissions/panels/student.html", {"applications": applications})]
