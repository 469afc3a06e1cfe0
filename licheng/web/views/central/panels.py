"""Dashboard panels of the central area: the student's receipts to confirm (R36), the school's
submissions and open reports."""

from __future__ import annotations

from typing import Any

from licheng.accounts.enums import Role
from licheng.central.enums import AckStatus
from licheng.central.models import ReceiptAck
from licheng.central.queries import central_student_of, open_reports
from licheng.schools.models import School
from licheng.selection.models import SubmissionJob

from ...panels import Panel


def student_receipts_panel(user: Any) -> list[Panel]:
    person = central_student_of(user) if user.has_role(Role.STUDENT) else None
    if person is None:
        return []
    pending = ReceiptAck.objects.filter(
        record__student=person, record__is_current=True, status=AckStatus.PENDING
    ).order_by("closes_on")
    return [Panel("web/panels/central_student.html", {"pending": list(pending[:5])})]


def school_submissions_panel(user: Any) -> list[Panel]:
    panels = []
    for school in School.objects.filter(pk__in=user.school_ids_for(Role.SCHOOL_ADMIN)):
        panels.append(
            Panel(
                "web/panels/central_school.html",
                {
                    "school": school,
                    "jobs": list(SubmissionJob.objects.filter(school=school)[:3]),
                    "reports": open_reports(school).count(),
                },
            )
        )
    return panels
