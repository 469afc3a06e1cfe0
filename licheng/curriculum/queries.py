"""Reading curriculum data for a given person, and what the central repository may receive.

Every function scopes by school and role; the ``get_*_for`` helpers raise ``Http404`` for
anything the person may not see, so a stranger cannot even learn that it exists.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from licheng.accounts.enums import Role
from licheng.lib.roc import Term
from licheng.schools.models import AttendanceRecord, CadreRecord, RewardRecord, School, Student

from .enums import PlanState
from .models import CounsellingRecord, Course, CourseEnrolment, CoursePlan, PriorCourseRecord


def plans_for(user) -> QuerySet[CoursePlan]:
    """Course plans the person manages: their schools' (school admin) or all submitted (central)."""
    if not user.is_authenticated:
        return CoursePlan.objects.none()
    if user.has_role(Role.CENTRAL_ADMIN):
        return CoursePlan.objects.exclude(state=PlanState.DRAFT)
    return CoursePlan.objects.filter(school_id__in=user.school_ids_for(Role.SCHOOL_ADMIN))


def get_plan_for(user, pk: int) -> CoursePlan:
    plan = plans_for(user).select_related("school", "department", "course").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def published_courses(code: str) -> QuerySet[Course]:
    """Public lookup (課程資訊查詢): courses with this code, with their plan's syllabus."""
    return (
        Course.objects.filter(code=code)
        .select_related("school", "department", "plan")
        .order_by("academic_year", "semester")
    )


def courses_taught_by(user) -> QuerySet[Course]:
    """Courses whose grades the person enters: their own (teacher) or their school's (admin)."""
    if not user.is_authenticated:
        return Course.objects.none()
    admin_of = user.school_ids_for(Role.SCHOOL_ADMIN)
    teacher_of = user.school_ids_for(Role.TEACHER)
    own = Course.objects.filter(teachers=user, school_id__in=teacher_of)
    return (own | Course.objects.filter(school_id__in=admin_of)).distinct()


def get_course_for_grading(user, pk: int) -> Course:
    course = courses_taught_by(user).select_related("school").filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def enrolments_of(course: Course) -> QuerySet[CourseEnrolment]:
    return (
        CourseEnrolment.objects.filter(course=course)
        .select_related("student", "course")
        .order_by("student__student_number")
    )


def student_of(user) -> Student | None:
    return getattr(user, "student", None) if user.is_authenticated else None


def records_by_term(student: Student) -> list[dict[str, Any]]:
    """A student's course records grouped by semester, newest first, with credits earned (R5)."""
    rows = CourseEnrolment.objects.filter(student=student).select_related("course")
    terms: dict[Term, list[CourseEnrolment]] = defaultdict(list)
    for e in rows:
        terms[e.course.term].append(e)
    result = []
    for term in sorted(terms, reverse=True):
        items = sorted(terms[term], key=lambda e: e.course.code)
        result.append(
            {
                "term": term,
                "records": items,
                "credits_taken": sum(e.course.credits for e in items),
                "credits_earned": sum(e.credits_earned for e in items),
            }
        )
    return result


def prior_records_by_term(student: Student) -> list[dict[str, Any]]:
    """Course records brought from the student's previous schools (轉學前修課紀錄, R38), grouped
    like ``records_by_term`` and naming the school each came from."""
    rows = PriorCourseRecord.objects.filter(student=student).select_related("transfer")
    terms: dict[tuple[Term, str], list[PriorCourseRecord]] = defaultdict(list)
    for r in rows:
        terms[(r.term, r.transfer.from_school_name)].append(r)
    return [
        {
            "term": term,
            "school_name": school_name,
            "records": sorted(records, key=lambda r: r.code),
            "credits_taken": sum(r.credits for r in records),
            "credits_earned": sum(r.credits_earned for r in records),
        }
        for (term, school_name), records in sorted(terms.items(), reverse=True)
    ]


def staff_students(user) -> QuerySet[Student]:
    """Students whose basic data the person manages (school administrators)."""
    if not user.is_authenticated:
        return Student.objects.none()
    return Student.objects.filter(school_id__in=user.school_ids_for(Role.SCHOOL_ADMIN))


def get_student_for_staff(user, pk: int) -> Student:
    student = (
        staff_students(user).select_related("school", "department", "user").filter(pk=pk).first()
    )
    if student is None:
        raise Http404
    return student


def counselling_visible_to(user) -> QuerySet[CounsellingRecord]:
    """R7: the student, the counsellor who wrote it and the school's administrators see a record."""
    if not user.is_authenticated:
        return CounsellingRecord.objects.none()
    student = student_of(user)
    q = CounsellingRecord.objects.filter(counsellor=user)
    q = q | CounsellingRecord.objects.filter(school_id__in=user.school_ids_for(Role.SCHOOL_ADMIN))
    if student is not None:
        q = q | CounsellingRecord.objects.filter(student=student)
    return q.select_related("student", "counsellor").distinct()


class ExportedStudent(TypedDict):
    """Registration data (R1) as the central repository receives it."""

    student_number: str
    national_id: str
    name: str
    department: str
    enrolment_date: str  # ISO date
    status: str


class ExportedCourseRecord(TypedDict):
    """One course record (R5) with all three grades (R6): two-decimal strings or None."""

    student_number: str
    course_code: str
    course_name: str
    credits: int
    category: str
    academic_year: int
    semester: int
    original_grade: str | None
    makeup_grade: str | None
    retake_grade: str | None


class ExportedCadre(TypedDict):
    """One cadre post (R2)."""

    student_number: str
    level: str
    unit: str
    position: str
    academic_year: int
    semester: int


class CentralExport(TypedDict):
    students: list[ExportedStudent]
    course_records: list[ExportedCourseRecord]
    cadres: list[ExportedCadre]


def central_exportable_records(school: School, term: Term) -> CentralExport:
    """Everything of one school and semester that may go to the central repository (R4, R8).

    The central-repository export builds its package from this and nothing else:
    ``students`` (registration data R1), ``course_records`` (R5–R6, all three grades),
    ``cadres`` (R2). Counselling records (R7) are left out on purpose — they never leave the
    school platform — and so are attendance and rewards (R3), which the rules keep on the
    school platform too.
    """
    students = (
        Student.objects.filter(school=school)
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "course_enrolments",
                queryset=CourseEnrolment.objects.filter(
                    course__academic_year=term.academic_year, course__semester=term.semester
                ).select_related("course"),
                to_attr="term_records",
            )
        )
    )
    out: CentralExport = {"students": [], "course_records": [], "cadres": []}
    for s in students:
        out["students"].append(
            {
                "student_number": s.student_number,
                "national_id": s.national_id,
                "name": s.name,
                "department": s.department.code if s.department else "",
                "enrolment_date": s.enrolment_date.isoformat(),
                "status": s.status,
            }
        )
        for e in s.term_records:
            out["course_records"].append(
                {
                    "student_number": s.student_number,
                    "course_code": e.course.code,
                    "course_name": e.course.name,
                    "credits": e.course.credits,
                    "category": e.course.category,
                    "academic_year": term.academic_year,
                    "semester": term.semester,
                    "original_grade": _num(e.original_grade),
                    "makeup_grade": _num(e.makeup_grade),
                    "retake_grade": _num(e.retake_grade),
                }
            )
    # Posts brought from a previous school (R38) were sent by that school, not this one.
    for c in CadreRecord.objects.filter(
        student__school=school,
        academic_year=term.academic_year,
        semester=term.semester,
        transfer__isnull=True,
    ).select_related("student"):
        out["cadres"].append(
            {
                "student_number": c.student.student_number,
                "level": c.level,
                "unit": c.unit,
                "position": c.position,
                "academic_year": c.academic_year,
                "semester": c.semester,
            }
        )
    return out


def _num(value: Any) -> str | None:
    return None if value is None else str(value)


def school_term_records(student: Student) -> dict[str, Any]:
    """Attendance and rewards (R3) and cadre posts (R2) of a student, for their own pages."""
    # Those brought from the previous school (R38) name it: ``transfer`` is joined.
    return {
        "cadres": CadreRecord.objects.filter(student=student)
        .select_related("transfer")
        .order_by("-academic_year", "-semester"),
        "attendance": AttendanceRecord.objects.filter(student=student)
        .select_related("transfer")
        .order_by("-academic_year", "-semester"),
        "rewards": RewardRecord.objects.filter(student=student).select_related("transfer"),
    }
