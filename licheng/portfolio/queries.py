"""Reading portfolio data for a given person: every fetch is scoped, and 404s what is not theirs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from licheng.accounts.enums import Role
from licheng.curriculum.models import Course
from licheng.evidence.models import StoredFile
from licheng.lib.roc import Term
from licheng.schools.models import Student

from .enums import OutcomeState
from .models import LearningOutcome, Organizer, OrganizerKey, Performance


def student_of(user: Any) -> Student:
    student = getattr(user, "student", None) if getattr(user, "is_authenticated", False) else None
    if student is None:
        raise Http404
    return student


def courses_for_upload(student: Student, term: Term) -> QuerySet[Course]:
    """R9: the credit-bearing courses the student takes in ``term``."""
    return Course.objects.filter(
        enrolments__student=student,
        academic_year=term.academic_year,
        semester=term.semester,
        credits__gt=0,
    ).order_by("code")


def outcomes_of(student: Student) -> QuerySet[LearningOutcome]:
    return LearningOutcome.objects.filter(student=student).select_related(
        "course", "document", "media", "certified_by", "transfer"
    )


def same_named_course_codes(outcomes: Iterable[LearningOutcome]) -> set[str]:
    """Course codes (課程代碼) a list of outcomes shows beside the course name: two courses of one
    semester that share a name (a subject taught in two groups) read the same otherwise."""
    codes: dict[tuple[Term, str], set[str]] = defaultdict(set)
    for outcome in outcomes:
        codes[(outcome.term, outcome.course_name)].add(outcome.course_code)
    return {code for same in codes.values() if len(same) > 1 for code in same}


def get_own_outcome(user: Any, pk: int) -> LearningOutcome:
    outcome = outcomes_of(student_of(user)).filter(pk=pk).first()
    if outcome is None:
        raise Http404
    return outcome


def certifiable_courses(user: Any) -> QuerySet[Course]:
    """Courses the user teaches or certifies as proxy (代理人), with their pending count."""
    if not getattr(user, "is_authenticated", False):
        return Course.objects.none()
    return (
        Course.objects.filter(Q(teachers=user) | Q(proxy_certifiers__teacher=user))
        .distinct()
        .annotate(
            pending=Count(
                "learning_outcomes",
                filter=Q(learning_outcomes__state=OutcomeState.SUBMITTED),
                distinct=True,
            )
        )
        .order_by("-academic_year", "-semester", "code")
    )


def get_certifiable_course(user: Any, pk: int) -> Course:
    course = certifiable_courses(user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def queue(course: Course) -> QuerySet[LearningOutcome]:
    """The certification queue of a course: submitted first, then the rest."""
    return (
        LearningOutcome.objects.filter(course=course)
        .exclude(state=OutcomeState.DRAFT)
        .select_related("student", "document", "media")
        .order_by("state", "submitted_at")
    )


def performances_of(student: Student) -> QuerySet[Performance]:
    return (
        Performance.objects.filter(student=student)
        .select_related("organizer", "transfer")
        # In the order they were uploaded (stored files sort newest first by default).
        .prefetch_related(
            Prefetch("files", queryset=StoredFile.objects.order_by("created_at", "pk"))
        )
    )


def get_own_performance(user: Any, pk: int) -> Performance:
    """One of the signed-in student's performances; 404 for anyone else's."""
    performance = performances_of(student_of(user)).filter(pk=pk).first()
    if performance is None:
        raise Http404
    return performance


def admin_school_ids(user: Any) -> set[int]:
    return (
        user.school_ids_for(Role.SCHOOL_ADMIN)
        if getattr(user, "is_authenticated", False)
        else set()
    )


def selectable_outcomes(student: Student, academic_year: int) -> QuerySet[LearningOutcome]:
    """R14: only certified outcomes can be selected for the central repository."""
    return outcomes_of(student).filter(academic_year=academic_year, state=OutcomeState.CERTIFIED)


@dataclass(frozen=True)
class OrganizerOverview:
    """What an organizer (主辦機構) sees of itself: its keys, what it imported, its last calls."""

    organizer: Organizer
    keys: list[OrganizerKey]
    imported: int  # performances it imported (R19), all years
    students: int
    calls: list[Any]  # its last import calls, from the audit log


def organizer_overview(user: Any) -> OrganizerOverview | None:
    """The organizer the user signs in for; None when the user is not one (or not linked yet)."""
    from licheng.audit.models import AuditEntry

    if not user.has_role(Role.ORGANIZER):
        return None
    organizer = Organizer.objects.filter(user=user).first()
    if organizer is None:
        return None
    imported = Performance.objects.filter(organizer=organizer)
    calls = AuditEntry.objects.filter(
        action="api.organizer.import",
        object_type=Organizer._meta.label,
        object_id=str(organizer.pk),
    ).order_by("-at", "-id")[:5]
    return OrganizerOverview(
        organizer=organizer,
        keys=list(organizer.keys.order_by("-created_at")),
        imported=imported.count(),
        students=imported.values("student").distinct().count(),
        calls=list(calls),
    )
