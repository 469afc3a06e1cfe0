"""The roster export (修課名冊 CSV): a term's course records in the columns a registry office keeps.

It is offered beside the exchange package (docs/exchange-format.md) for schools whose registry
works in spreadsheets. Counselling records are not course records and never appear (R7).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from licheng.curriculum.models import CourseEnrolment
from licheng.lib.roc import Term
from licheng.schools.models import ClassEnrolment, School

ROSTER_COLUMNS = [
    "學年度",
    "學期",
    "學號",
    "身分證統一編號",
    "姓名",
    "班級",
    "座號",
    "課程代碼",
    "課程名稱",
    "學分數",
    "課程類別",
    "原始成績",
    "補考成績",
    "重補修成績",
]


def _grade(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def roster_csv(school: School, term: Term) -> str:
    """The CSV text (with a BOM so spreadsheet programs read it as UTF-8)."""
    seats = {
        e.student_id: e
        for e in ClassEnrolment.objects.filter(
            school_class__school=school, school_class__academic_year=term.academic_year
        ).select_related("school_class")
    }
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(ROSTER_COLUMNS)
    enrolments = (
        CourseEnrolment.objects.filter(
            course__school=school,
            course__academic_year=term.academic_year,
            course__semester=term.semester,
        )
        .select_related("course", "student")
        .order_by("student__student_number", "course__code")
    )
    for e in enrolments:
        seat = seats.get(e.student_id)
        writer.writerow(
            [
                term.academic_year,
                term.semester,
                e.student.student_number,
                e.student.national_id,
                e.student.name,
                seat.school_class.name if seat else "",
                seat.seat_number if seat else "",
                e.course.code,
                e.course.name,
                e.course.credits,
                e.course.get_category_display(),
                _grade(e.original_grade),
                _grade(e.makeup_grade),
                _grade(e.retake_grade),
            ]
        )
    return out.getvalue()
