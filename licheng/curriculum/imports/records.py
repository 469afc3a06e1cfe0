"""Importing course records and grades (修課紀錄與成績, R5–R6).

One row per student per course: 學年度, 學期, 課程代碼, 學號 and the three grades. A row with
blank grades is an enrolment only. A blank grade leaves a stored grade as it is (a file with only
original grades never erases make-up grades); a different grade replaces it, audited before →
after. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection

from licheng.audit.domain import record
from licheng.audit.models import AuditEntry
from licheng.lib import course_code
from licheng.schools.models import School, Student

from ..domain.grades import GRADE_FIELDS, GradeError, grade_audit, parse_grade
from ..models import Course, CourseEnrolment
from .base import Importer, RowInvalid, int_in

GRADE_COLUMNS = {
    "原始成績": "original_grade",
    "補考成績": "makeup_grade",
    "重補修成績": "retake_grade",
}
BATCH = 5000
_UNSEEN: Any = object()


class RecordsImporter(Importer):
    columns = ["學年度", "學期", "課程代碼", "學號", *GRADE_COLUMNS]
    required = ["學年度", "學期", "課程代碼", "學號"]

    def __init__(self, school: School, actor: Any):
        super().__init__(school, actor)
        self.students = dict(
            Student.objects.filter(school=school).values_list("student_number", "pk")
        )
        self.courses = {
            (code, year, sem): pk
            for pk, code, year, sem in Course.objects.filter(school=school).values_list(
                "pk", "code", "academic_year", "semester"
            )
        }
        # A large file repeats the same few texts: each is checked once.
        self.codes: dict[str, str | course_code.CourseCodeError] = {}
        self.terms: dict[tuple[str, str], tuple[int, int] | RowInvalid] = {}
        self.grades: dict[str, Decimal | None | str] = {"": None}

    def _code(self, text: str) -> str:
        """Parsed once per distinct code text: a large file repeats each code many times."""
        hit = self.codes.get(text)
        if hit is None:
            try:
                hit = course_code.canonical(text)
            except course_code.CourseCodeError as exc:
                hit = exc
            self.codes[text] = hit
        if isinstance(hit, course_code.CourseCodeError):
            raise RowInvalid("課程代碼", str(hit))
        return hit

    def _term(self, row: dict[str, str]) -> tuple[int, int]:
        key = (row.get("學年度", ""), row.get("學期", ""))
        hit = self.terms.get(key)
        if hit is None:
            try:
                hit = (int_in(row, "學年度", 1, 999), int_in(row, "學期", 1, 2))
            except RowInvalid as bad:
                hit = bad
            self.terms[key] = hit
        if isinstance(hit, RowInvalid):
            raise RowInvalid(hit.column, hit.reason)
        return hit

    def _grade(self, row: dict[str, str], column: str) -> Decimal | None:
        text = row.get(column, "")
        hit = self.grades.get(text, _UNSEEN)
        if hit is _UNSEEN:
            try:
                hit = parse_grade(text)
            except GradeError as exc:
                hit = str(exc)
            self.grades[text] = hit
        if isinstance(hit, str):
            raise RowInvalid(column, f"{column}：{hit}")
        return hit

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        year, semester = self._term(row)
        code = self._code(row.get("課程代碼", ""))
        course = self.courses.get((code, year, semester))
        if course is None:
            raise RowInvalid(
                "課程代碼", f"本校 {year} 學年度第 {semester} 學期沒有課程代碼 {code} 的課程"
            )
        number = row.get("學號", "").strip()
        student = self.students.get(number)
        if student is None:
            raise RowInvalid("學號", f"學號 {number[:20] or '（空白）'} 不是本校學生")
        grades = [self._grade(row, column) for column in GRADE_COLUMNS]
        return (course, student), (course, student, *grades)

    def apply(self) -> dict[str, int]:
        course_ids = {v[0] for v in self.valid}
        existing: dict[tuple[int, int], tuple[Any, ...]] = {}
        for chunk in _chunks(sorted(course_ids), 500):
            for pk, c, s, o, m, r in CourseEnrolment.objects.filter(
                course_id__in=chunk
            ).values_list("pk", "course_id", "student_id", *GRADE_FIELDS):
                existing[(c, s)] = (pk, o, m, r)
        new: list[tuple[Any, ...]] = []
        changed: list[CourseEnrolment] = []
        audits: list[AuditEntry] = []
        for course, student, *grades in self.valid:
            old = existing.get((course, student))
            if old is None:
                new.append((course, student, *grades))
                continue
            before, after = {}, {}
            for field, stored, value in zip(GRADE_FIELDS, old[1:], grades, strict=True):
                if value is not None and value != stored:
                    before[field], after[field] = stored, value
            if after:
                enrolment = CourseEnrolment(pk=old[0], course_id=course, student_id=student)
                for field, stored in zip(GRADE_FIELDS, old[1:], strict=True):
                    setattr(enrolment, field, after.get(field, stored))
                changed.append(enrolment)
                enrolment.course = Course(pk=course, school_id=self.school.pk)
                audits.append(grade_audit(enrolment, before, after, self.actor))
        _insert(new)
        CourseEnrolment.objects.bulk_update(changed, GRADE_FIELDS, batch_size=500)
        AuditEntry.objects.bulk_create(audits, batch_size=BATCH)
        summary = {
            "created": len(new),
            "updated": len(changed),
            "unchanged": len(self.valid) - len(new) - len(changed),
        }
        record("curriculum.import.records", actor=self.actor, school=self.school, after=summary)
        return summary

    @classmethod
    def export_rows(cls, school: School):
        rows = (
            CourseEnrolment.objects.filter(course__school=school)
            .order_by(
                "course__academic_year",
                "course__semester",
                "course__code",
                "student__student_number",
            )
            .values_list(
                "course__academic_year",
                "course__semester",
                "course__code",
                "student__student_number",
                *GRADE_FIELDS,
            )
        )
        for *head, o, m, r in rows.iterator(chunk_size=5000):
            yield [*head, *(_grade_text(g) for g in (o, m, r))]


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """Write new course records: PostgreSQL's COPY where we have it (the import's bulk of the
    work on a new platform), ``bulk_create`` elsewhere. Both inside the caller's transaction."""
    columns = ["course_id", "student_id", *GRADE_FIELDS]
    if connection.vendor == "postgresql":
        table = CourseEnrolment._meta.db_table
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    CourseEnrolment.objects.bulk_create(
        [CourseEnrolment(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH
    )


def _grade_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chunks(items: list[Any], size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]
