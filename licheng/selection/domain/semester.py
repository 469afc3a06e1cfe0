"""Semester data for the central repository (學期資料, R4, R8): each student's basic data and
course records of one semester, as an exchange manifest, with the school's pre-check (預檢).

Course counselling records stay on the school platform and are never read here (R7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from licheng.curriculum.models import CourseEnrolment
from licheng.lib import national_id
from licheng.lib.exchange import FORMAT_VERSION
from licheng.lib.roc import Term
from licheng.schools.models import ClassEnrolment, School, Student

from .precheck import Problem


def _grade(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def students_of_term(school: School, term: Term) -> list[Student]:
    """The students a semester package covers: seated in a class that year or enrolled in a course
    that semester."""
    return list(
        Student.objects.filter(school=school)
        .filter(
            Q(class_enrolments__school_class__academic_year=term.academic_year)
            | Q(
                course_enrolments__course__academic_year=term.academic_year,
                course_enrolments__course__semester=term.semester,
            )
        )
        .distinct()
        .select_related("department")
        .order_by("student_number")
    )


def _enrolments(school: School, term: Term) -> dict[int, list[CourseEnrolment]]:
    by_student: dict[int, list[CourseEnrolment]] = defaultdict(list)
    for e in (
        CourseEnrolment.objects.filter(
            course__school=school,
            course__academic_year=term.academic_year,
            course__semester=term.semester,
        )
        .select_related("course")
        .order_by("course__code")
    ):
        by_student[e.student_id].append(e)
    return by_student


def _seats(school: School, term: Term) -> dict[int, ClassEnrolment]:
    return {
        e.student_id: e
        for e in ClassEnrolment.objects.filter(
            school_class__school=school, school_class__academic_year=term.academic_year
        ).select_related("school_class")
    }


def precheck_semester(school: School, term: Term) -> dict[Student, list[Problem]]:
    """Every problem per student that would make the semester's data wrong or incomplete."""
    enrolments, seats = _enrolments(school, term), _seats(school, term)
    result: dict[Student, list[Problem]] = {}
    for student in students_of_term(school, term):
        problems = []
        if reason := national_id.problem(student.national_id):
            problems.append(Problem(reason, blocking=True))
        if student.pk not in seats:
            problems.append(Problem(f"{term.academic_year}學年度未編班", blocking=False))
        mine = enrolments.get(student.pk, [])
        if not mine:
            problems.append(Problem("本學期沒有修課紀錄", blocking=False))
        for e in mine:
            if e.original_grade is None:
                problems.append(Problem(f"課程「{e.course.name}」尚未登錄原始成績", blocking=True))
        if problems:
            result[student] = problems
    return result


def semester_manifest(
    school: School, term: Term, *, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The semester package's manifest (without files: a semester package carries none)."""
    enrolments, seats = _enrolments(school, term), _seats(school, term)
    students = students_of_term(school, term)
    entries = []
    for n, student in enumerate(students, 1):
        seat = seats.get(student.pk)
        entries.append(
            {
                "national_id": student.national_id,
                "student_number": student.student_number,
                "name": student.name,
                "basic": {
                    "department": student.department.name if student.department else "",
                    "class_name": seat.school_class.name if seat else "",
                    "grade": seat.school_class.grade if seat else None,
                    "seat_number": seat.seat_number if seat else None,
                    "enrolment_date": student.enrolment_date.isoformat(),
                    "status": student.status,
                },
                "courses": [
                    {
                        "academic_year": term.academic_year,
                        "semester": term.semester,
                        "code": e.course.code,
                        "name": e.course.name,
                        "credits": e.course.credits,
                        "category": e.course.get_category_display(),
                        "original_grade": _grade(e.original_grade),
                        "makeup_grade": _grade(e.makeup_grade),
                        "retake_grade": _grade(e.retake_grade),
                    }
                    for e in enrolments.get(student.pk, [])
                ],
            }
        )
        if progress is not None:
            progress(n, len(students))
    return {
        "format_version": FORMAT_VERSION,
        "package_kind": "semester",
        "school": {"code": school.code, "name": school.name},
        "academic_year": term.academic_year,
        "semester": term.semester,
        "created_at": timezone.now().isoformat(),
        "students": entries,
    }
