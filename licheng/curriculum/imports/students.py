"""Importing students and class placements (學生基本資料與編班, R1).

One row per student per academic year: registration data plus the class and seat of that year.
A new student number registers the student with their account (first password = national ID,
R31); a known one updates what changed, audited like a staff edit.
"""

from __future__ import annotations

from typing import Any

from licheng.accounts.domain.accounts import AccountError, register_student
from licheng.audit.domain import record
from licheng.lib import national_id
from licheng.lib.i18n import in_source_language
from licheng.lib.roc import parse_roc_date
from licheng.schools.domain.basic_data import BasicDataError, place_student, update_student
from licheng.schools.enums import StudentStatus
from licheng.schools.models import ClassEnrolment, Department, School, SchoolClass, Student

from .base import ImportConflict, Importer, RowInvalid, choice_in, int_in, text_in


class StudentsImporter(Importer):
    columns = [
        "學號",
        "姓名",
        "身分證統一編號",
        "科別代碼",
        "入學日期",
        "學籍狀態",
        "學年度",
        "年級",
        "班級",
        "座號",
    ]
    required = ["學號", "姓名", "身分證統一編號", "入學日期"]

    def __init__(self, school: School, actor: Any):
        super().__init__(school, actor)
        self.departments = {d.code: d for d in Department.objects.filter(school=school)}
        self.by_nid = dict(
            Student.objects.filter(school=school).values_list("national_id", "student_number")
        )
        # Seats already taken, so a file cannot push another student out of theirs.
        self.seats: dict[tuple[int, str, int], str] = {
            (year, name, seat): number
            for year, name, seat, number in ClassEnrolment.objects.filter(
                school_class__school=school
            ).values_list(
                "school_class__academic_year",
                "school_class__name",
                "seat_number",
                "student__student_number",
            )
        }

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        number = text_in(row, "學號", 20)
        if not number.isascii() or not number.isalnum():
            raise RowInvalid("學號", f"學號「{number}」只能包含英文字母與數字")
        name = text_in(row, "姓名", 50)
        nid = national_id.normalize(row.get("身分證統一編號", ""))
        problem = national_id.problem(nid)
        if problem:
            raise RowInvalid("身分證統一編號", problem)
        if self.by_nid.get(nid, number) != number:
            raise RowInvalid(
                "身分證統一編號", f"此身分證統一編號已屬於學號 {self.by_nid[nid]} 的學生"
            )
        dept_code = row.get("科別代碼", "").strip().upper()
        if dept_code and dept_code not in self.departments:
            raise RowInvalid("科別代碼", f"本校沒有科別代碼 {dept_code[:10]}")
        try:
            enrolled = parse_roc_date(row.get("入學日期", ""))
        except (ValueError, TypeError):
            raise RowInvalid("入學日期", "入學日期格式應為 113/08/01 或 2024-08-01") from None
        status = (
            choice_in(row, "學籍狀態", StudentStatus)
            if row.get("學籍狀態")
            else StudentStatus.ENROLLED
        )
        placement = None
        if row.get("班級"):
            year = int_in(row, "學年度", 1, 999)
            grade = int_in(row, "年級", 1, 3)
            class_name = text_in(row, "班級", 30)
            seat = int_in(row, "座號", 1, 99)
            holder = self.seats.setdefault((year, class_name, seat), number)
            if holder != number:
                raise RowInvalid(
                    "座號", f"{year} 學年度 {class_name} 的 {seat} 號已分配給學號 {holder}"
                )
            placement = (year, grade, class_name, seat)
        self.by_nid[nid] = number
        value = (number, name, nid, self.departments.get(dept_code), enrolled, status, placement)
        return (number, placement[0] if placement else None), value

    def apply(self) -> dict[str, int]:
        existing = {s.student_number: s for s in Student.objects.filter(school=self.school)}
        created = updated = placed = 0
        classes = {
            (c.academic_year, c.name): c for c in SchoolClass.objects.filter(school=self.school)
        }
        for number, name, nid, dept, enrolled, status, placement in self.valid:
            student = existing.get(number)
            if student is None:
                try:
                    student = register_student(
                        self.school,
                        student_number=number,
                        national_id_number=nid,
                        name=name,
                        enrolment_date=enrolled,
                        department=dept,
                        actor=self.actor,
                    )
                except AccountError as exc:
                    raise ImportConflict(str(exc)) from exc
                existing[number] = student
                created += 1
            values = {
                "name": name,
                "national_id": nid,
                "department": dept,
                "enrolment_date": enrolled,
                "status": status,
            }
            if any(getattr(student, k) != v for k, v in values.items()):
                update_student(student, actor=self.actor, **values)
                updated += 1
            if placement:
                placed += self._place(student, placement, classes)
        summary = {"created": created, "updated": updated, "placed": placed}
        record("curriculum.import.students", actor=self.actor, school=self.school, after=summary)
        return summary

    def _place(self, student: Student, placement: tuple[int, int, str, int], classes: dict) -> int:
        year, grade, class_name, seat = placement
        cls = classes.get((year, class_name))
        if cls is None:
            cls = SchoolClass.objects.create(
                school=self.school, academic_year=year, grade=grade, name=class_name
            )
            classes[(year, class_name)] = cls
        current = ClassEnrolment.objects.filter(student=student, school_class=cls).first()
        if current and current.seat_number == seat:
            return 0
        try:
            place_student(student, actor=self.actor, school_class=cls, seat=seat)
        except BasicDataError as exc:
            raise ImportConflict(str(exc)) from exc
        return 1

    @classmethod
    def export_rows(cls, school: School):
        placements = (
            ClassEnrolment.objects.filter(student__school=school)
            .select_related("student__department", "school_class")
            .order_by("school_class__academic_year", "student__student_number")
        )
        placed = set()
        for p in placements:
            placed.add(p.student_id)
            c = p.school_class
            yield [*_student_cells(p.student), c.academic_year, c.grade, c.name, p.seat_number]
        for s in (
            Student.objects.filter(school=school)
            .exclude(pk__in=placed)
            .select_related("department")
        ):
            yield [*_student_cells(s), "", "", "", ""]


def _student_cells(s: Student) -> list[Any]:
    return [
        s.student_number,
        s.name,
        s.national_id,
        s.department.code if s.department else "",
        s.enrolment_date.isoformat(),
        in_source_language(StudentStatus(s.status).label),
    ]
