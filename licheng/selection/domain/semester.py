"""Semester data for the central repository (學期資料, R4, R8): each student's basic data (R1,
cadre posts R2) and course records of one semester (R5, R6), as an exchange manifest, with the
school's pre-check (預檢).

What may leave the school platform comes from ``curriculum.queries.central_exportable_records``
and nothing else, so counselling records (R7) and attendance and rewards (R3) never travel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from licheng.curriculum.queries import central_exportable_records
from licheng.lib import national_id
from licheng.lib.exchange import FORMAT_VERSION
from licheng.lib.roc import Term
from licheng.schools.models import ClassEnrolment, School, Student

from .precheck import Problem


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
        .order_by("student_number")
    )


def _seats(school: School, term: Term) -> dict[int, ClassEnrolment]:
    return {
        e.student_id: e
        for e in ClassEnrolment.objects.filter(
            school_class__school=school, school_class__academic_year=term.academic_year
        ).select_related("school_class")
    }


def _by_student(rows: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row["student_number"]].append(row)
    return grouped


def precheck_semester(school: School, term: Term) -> dict[Student, list[Problem]]:
    """Every problem per student that would make the semester's data wrong or incomplete."""
    export = central_exportable_records(school, term)
    courses = _by_student(export["course_records"])
    seats = _seats(school, term)
    result: dict[Student, list[Problem]] = {}
    for student in students_of_term(school, term):
        problems = []
        if reason := national_id.problem(student.national_id):
            problems.append(Problem(reason, blocking=True))
        if student.pk not in seats:
            problems.append(Problem(f"{term.academic_year}學年度未編班", blocking=False))
        mine = courses.get(student.student_number, [])
        if not mine:
            problems.append(Problem("本學期沒有修課紀錄", blocking=False))
        for c in mine:
            if c["original_grade"] is None:
                problems.append(
                    Problem(f"課程「{c['course_name']}」尚未登錄原始成績", blocking=True)
                )
        if problems:
            result[student] = problems
    return result


def semester_manifest(
    school: School, term: Term, *, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The semester package's manifest (without files: a semester package carries none)."""
    export = central_exportable_records(school, term)
    registration = {s["student_number"]: s for s in export["students"]}
    courses, cadres = _by_student(export["course_records"]), _by_student(export["cadres"])
    seats = _seats(school, term)
    students = students_of_term(school, term)
    entries = []
    for n, student in enumerate(students, 1):
        seat = seats.get(student.pk)
        data = registration[student.student_number]
        entries.append(
            {
                "national_id": data["national_id"],
                "student_number": data["student_number"],
                "name": data["name"],
                "basic": {
                    "department": data["department"],
                    "class_name": seat.school_class.name if seat else "",
                    "grade": seat.school_class.grade if seat else None,
                    "seat_number": seat.seat_number if seat else None,
                    "enrolment_date": data["enrolment_date"],
                    "status": data["status"],
                },
                "cadres": [
                    {k: c[k] for k in ("academic_year", "semester", "level", "unit", "position")}
                    for c in cadres.get(student.student_number, [])
                ],
                "courses": [
                    {
                        "academic_year": c["academic_year"],
                        "semester": c["semester"],
                        "code": c["course_code"],
                        "name": c["course_name"],
                        "credits": c["credits"],
                        "category": c["category"],
                        "original_grade": c["original_grade"],
                        "makeup_grade": c["makeup_grade"],
                        "retake_grade": c["retake_grade"],
                    }
                    for c in courses.get(student.student_number, [])
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
