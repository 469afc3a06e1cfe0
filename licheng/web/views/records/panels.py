"""Dashboard panels of the school-records area: what each person has to do or can see now."""

from __future__ import annotations

from licheng.accounts.enums import Role
from licheng.curriculum.enums import PlanState
from licheng.curriculum.models import CourseEnrolment, CoursePlan
from licheng.curriculum.queries import courses_taught_by, student_of
from licheng.lib.roc import Term
from licheng.schools.enums import CorrectionState
from licheng.schools.models import CorrectionRequest

from ...panels import Panel


def student_records_panel(user) -> list[Panel]:
    """R5: credits earned so far; R1: corrections still open."""
    student = student_of(user)
    if student is None:
        return []
    records = CourseEnrolment.objects.filter(student=student).select_related("course")
    return [
        Panel(
            "web/records/panels/student.html",
            {
                "credits": sum(e.credits_earned for e in records),
                "courses": len(records),
                "open_corrections": student.corrections.filter(
                    state=CorrectionState.PENDING
                ).count(),
            },
        )
    ]


def teacher_grading_panel(user) -> list[Panel]:
    """Courses of this term whose grade grid still has empty original grades."""
    if not user.has_role(Role.TEACHER):
        return []
    term = Term.current()
    courses = (
        courses_taught_by(user)
        .filter(teachers=user, academic_year=term.academic_year, semester=term.semester)
        .order_by("code")
    )
    rows = [
        {"course": c, "missing": c.enrolments.filter(original_grade__isnull=True).count()}
        for c in courses
    ]
    return [Panel("web/records/panels/teacher.html", {"rows": rows, "term": term})] if rows else []


def admin_records_panel(user) -> list[Panel]:
    school_ids = user.school_ids_for(Role.SCHOOL_ADMIN)
    if not school_ids:
        return []
    return [
        Panel(
            "web/records/panels/admin.html",
            {
                "corrections": CorrectionRequest.objects.filter(
                    student__school_id__in=school_ids, state=CorrectionState.PENDING
                ).count(),
                "drafts": CoursePlan.objects.filter(
                    school_id__in=school_ids, state=PlanState.DRAFT
                ).count(),
            },
        )
    ]


def central_plans_panel(user) -> list[Panel]:
    if not user.has_role(Role.CENTRAL_ADMIN):
        return []
    waiting = CoursePlan.objects.filter(state=PlanState.SUBMITTED).count()
    return [Panel("web/records/panels/central.html", {"waiting": waiting})]
