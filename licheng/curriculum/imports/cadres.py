"""Importing cadre records (幹部經歷, R2): 學號, 學年度, 學期, 層級, 單位, 職稱."""

from __future__ import annotations

from typing import Any

from licheng.audit.domain import record
from licheng.lib.i18n import in_source_language
from licheng.schools.enums import CadreLevel
from licheng.schools.models import CadreRecord, School, Student

from .base import Importer, RowInvalid, choice_in, int_in, text_in


class CadresImporter(Importer):
    columns = ["學號", "學年度", "學期", "層級", "單位", "職稱"]
    required = columns

    def __init__(self, school: School, actor: Any):
        super().__init__(school, actor)
        self.students = dict(
            Student.objects.filter(school=school).values_list("student_number", "pk")
        )

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        number = row.get("學號", "").strip()
        student = self.students.get(number)
        if student is None:
            raise RowInvalid("學號", f"學號 {number[:20] or '（空白）'} 不是本校學生")
        year = int_in(row, "學年度", 1, 999)
        semester = int_in(row, "學期", 1, 2)
        level = choice_in(row, "層級", CadreLevel)
        unit = text_in(row, "單位", 50)
        position = text_in(row, "職稱", 50)
        key = (student, year, semester, level, unit, position)
        return key, key

    def apply(self) -> dict[str, int]:
        have = set(
            CadreRecord.objects.filter(student__school=self.school).values_list(
                "student_id", "academic_year", "semester", "level", "unit", "position"
            )
        )
        new = [
            CadreRecord(student_id=s, academic_year=y, semester=t, level=lv, unit=u, position=p)
            for s, y, t, lv, u, p in self.valid
            if (s, y, t, lv, u, p) not in have
        ]
        CadreRecord.objects.bulk_create(new, batch_size=2000)
        summary = {"created": len(new), "unchanged": len(self.valid) - len(new)}
        record("curriculum.import.cadres", actor=self.actor, school=self.school, after=summary)
        return summary

    @classmethod
    def export_rows(cls, school: School):
        rows = CadreRecord.objects.filter(student__school=school).select_related("student")
        for c in rows.order_by("student__student_number", "academic_year", "semester", "id"):
            yield [
                c.student.student_number,
                c.academic_year,
                c.semester,
                in_source_language(CadreLevel(c.level).label),
                c.unit,
                c.position,
            ]
