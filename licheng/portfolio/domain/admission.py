"""What an outcome upload is checked against (上傳資格), read in one query (R9, R11, R12, R34).

Uploading an outcome asks six things of the database: which course was picked, is the student
enrolled in it (R9), what is the school's upload window (R12) and policy (R11, R34), how many outcomes has the
student this semester and in this course (R11), and how many bytes do their files take (R34).
Asked one by one through the ORM, that was six statements and most of the upload's Python time
on deadline day, when every student of the school asks at once. Here they are one statement,
read after the student's row lock (each statement sees what committed before it, so the counts
include an upload that held the lock a moment ago) and checked in the same order and with the
same messages as the single checks in ``outcomes.py``, which a test keeps in agreement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import cast

from django.db import connection, models

from licheng.curriculum.models import Course, CourseEnrolment
from licheng.evidence.models import StoredFile
from licheng.lib.rows import RowReader, select_list
from licheng.schools.domain.policy import policy_of
from licheng.schools.domain.windows import default_dates
from licheng.schools.enums import WindowKind
from licheng.schools.models import SchoolPolicy, Student, Window

from ..models import LearningOutcome

_DATE = models.DateField()


@dataclass(frozen=True)
class UploadAdmission:
    """The state an upload is judged against, as of the query under the student's lock."""

    course: Course | None  # None: no such course
    enrolled: bool
    window: Window
    policy: SchoolPolicy
    term_count: int  # outcomes this semester, those brought by a transfer not counted (R38)
    course_count: int
    used_bytes: int


_SQL = """
    SELECT
        EXISTS (SELECT 1 FROM {enrolment} e WHERE e.course_id = c.id
                AND e.student_id = %(student)s),
        w.opens_on, w.closes_on,
        (SELECT COUNT(*) FROM {outcome} o WHERE o.student_id = %(student)s
            AND o.academic_year = c.academic_year AND o.semester = c.semester
            AND o.transfer_id IS NULL),
        (SELECT COUNT(*) FROM {outcome} o WHERE o.student_id = %(student)s
            AND o.academic_year = c.academic_year AND o.semester = c.semester
            AND o.transfer_id IS NULL AND o.course_id = c.id),
        (SELECT COALESCE(SUM(f.size), 0) FROM {stored} f WHERE f.owner_id = %(student)s),
        {course_columns},
        {policy_columns}
    FROM {course} c
    LEFT JOIN {window} w ON w.school_id = %(school)s AND w.kind = %(kind)s
        AND w.academic_year = c.academic_year AND w.semester = c.semester
    LEFT JOIN {policy} p ON p.school_id = %(school)s
    WHERE c.id = %(course)s
"""


@cache
def _sql() -> str:
    # Only table and column names from the models are formatted in; every value is a parameter.
    return _SQL.format(  # noqa: S608  # nosec B608
        course=Course._meta.db_table,
        enrolment=CourseEnrolment._meta.db_table,
        window=Window._meta.db_table,
        policy=SchoolPolicy._meta.db_table,
        outcome=LearningOutcome._meta.db_table,
        stored=StoredFile._meta.db_table,
        course_columns=select_list(Course, "c"),
        policy_columns=select_list(SchoolPolicy, "p"),
    )


@cache
def _readers() -> tuple[RowReader, RowReader]:
    return RowReader(Course), RowReader(SchoolPolicy)


def upload_admission(student: Student, course: Course | int) -> UploadAdmission:
    """Everything an outcome upload for ``course`` (the course or its id, as a form sends it) is
    checked against, in one statement, the course's own row included."""
    params: dict[str, int | str] = {
        "student": student.pk,
        "course": course if isinstance(course, int) else course.pk,
        "school": student.school_id,
        "kind": WindowKind.OUTCOME_UPLOAD.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        row = cursor.fetchone()
    if row is None:  # no such course: nothing else matters (R9 refuses it)
        return UploadAdmission(
            course=None,
            enrolled=False,
            window=Window(school_id=student.school_id, kind=WindowKind.OUTCOME_UPLOAD),
            policy=policy_of(student.school),
            term_count=0,
            course_count=0,
            used_bytes=0,
        )
    enrolled, opens_on, closes_on, term_count, course_count, used = row[:6]
    courses, policies = _readers()
    found = cast(Course, courses.build(row[6 : 6 + courses.width]))
    policy_values = row[6 + courses.width :]
    if policy_values[0] is None:  # the school never saved a policy: DOMAIN's defaults
        policy = policy_of(student.school)
    else:
        policy = cast(SchoolPolicy, policies.build(policy_values))
    return UploadAdmission(
        course=found,
        enrolled=bool(enrolled),
        window=_window(student, found, opens_on, closes_on),
        policy=policy,
        term_count=int(term_count),
        course_count=int(course_count),
        used_bytes=int(used),
    )


def _window(student: Student, course: Course, opens_on, closes_on) -> Window:
    kind = WindowKind.OUTCOME_UPLOAD
    if opens_on is None:
        opens, closes = default_dates(kind, course.academic_year, course.semester or 1)
    else:
        opens, closes = _as_date(opens_on), _as_date(closes_on)
    return Window(
        school_id=student.school_id,
        kind=kind,
        academic_year=course.academic_year,
        semester=course.semester,
        opens_on=opens,
        closes_on=closes,
    )


def _as_date(value) -> dt.date:
    return _DATE.to_python(value)  # SQLite returns the text it stored
