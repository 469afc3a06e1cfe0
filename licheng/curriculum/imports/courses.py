"""Importing courses (課程) with the codes the school's own system already holds.

Every code is validated: its structure and check character, and that its school, academic year
and category agree with the row. A known code updates name, credits and teachers (audited).
"""

from __future__ import annotations

from typing import Any

from licheng.accounts.enums import Role
from licheng.accounts.models import User
from licheng.audit.domain import record
from licheng.lib import course_code
from licheng.schools.models import Department, School

from ..enums import CourseCategory
from ..models import Course
from .base import Importer, RowInvalid, choice_in, int_in, text_in


class CoursesImporter(Importer):
    columns = [
        "學年度",
        "學期",
        "課程代碼",
        "課程名稱",
        "學分數",
        "課程類別",
        "年級",
        "科別代碼",
        "任課教師帳號",
    ]
    required = ["學年度", "學期", "課程代碼", "課程名稱", "學分數", "課程類別", "年級"]

    def __init__(self, school: School, actor: Any):
        super().__init__(school, actor)
        self.departments = {d.code: d for d in Department.objects.filter(school=school)}
        prefix = f"{school.code}:"
        self.teachers = {
            u.username.removeprefix(prefix): u
            for u in User.objects.filter(roles__role=Role.TEACHER, roles__school=school)
        }

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        year = int_in(row, "學年度", 1, 999)
        semester = int_in(row, "學期", 1, 2)
        try:
            code = course_code.parse(row.get("課程代碼", ""))
        except course_code.CourseCodeError as exc:
            raise RowInvalid("課程代碼", str(exc)) from None
        if code.school_code != self.school.code:
            raise RowInvalid(
                "課程代碼", f"課程代碼的學校代碼 {code.school_code} 不是本校（{self.school.code}）"
            )
        if code.academic_year != year:
            raise RowInvalid(
                "課程代碼", f"課程代碼的學年度 {code.academic_year} 與學年度欄 {year} 不符"
            )
        name = text_in(row, "課程名稱", 100)
        credits = int_in(row, "學分數", 0, 20)
        category = choice_in(row, "課程類別", CourseCategory)
        if category != code.category:
            raise RowInvalid("課程類別", "課程類別與課程代碼的類別代號不符")
        grade = int_in(row, "年級", 1, 3)
        dept_code = row.get("科別代碼", "").strip().upper()
        if dept_code and dept_code not in self.departments:
            raise RowInvalid("科別代碼", f"本校沒有科別代碼 {dept_code[:10]}")
        teachers = []
        for account in filter(
            None, (a.strip() for a in row.get("任課教師帳號", "").replace("、", ",").split(","))
        ):
            if account not in self.teachers:
                raise RowInvalid("任課教師帳號", f"本校沒有任課教師帳號 {account[:30]}")
            teachers.append(self.teachers[account])
        value = (
            str(code),
            year,
            semester,
            name,
            credits,
            category,
            grade,
            self.departments.get(dept_code),
            teachers,
        )
        return (str(code), year, semester), value

    def apply(self) -> dict[str, int]:
        created = updated = 0
        for code, year, semester, name, credits, category, grade, dept, teachers in self.valid:
            values = {
                "name": name,
                "credits": credits,
                "category": category,
                "grade": grade,
                "department": dept,
            }
            course, made = Course.objects.get_or_create(
                school=self.school,
                academic_year=year,
                semester=semester,
                code=code,
                defaults=values,
            )
            before = {k: getattr(course, k) for k, v in values.items() if getattr(course, k) != v}
            old_teachers = sorted(course.teachers.values_list("pk", flat=True))
            new_teachers = sorted(t.pk for t in teachers)
            if made:
                created += 1
                course.teachers.set(teachers)
                record(
                    "curriculum.course.import",
                    actor=self.actor,
                    obj=course,
                    after={"code": code, **values},
                )
                continue
            if before or old_teachers != new_teachers:
                for k in before:
                    setattr(course, k, values[k])
                course.save()
                course.teachers.set(teachers)
                after = {k: values[k] for k in before}
                if old_teachers != new_teachers:
                    before["teachers"], after["teachers"] = old_teachers, new_teachers
                record(
                    "curriculum.course.update",
                    actor=self.actor,
                    obj=course,
                    before=before,
                    after=after,
                )
                updated += 1
        summary = {
            "created": created,
            "updated": updated,
            "unchanged": len(self.valid) - created - updated,
        }
        record("curriculum.import.courses", actor=self.actor, school=self.school, after=summary)
        return summary

    @classmethod
    def export_rows(cls, school: School):
        prefix = f"{school.code}:"
        for c in (
            Course.objects.filter(school=school)
            .select_related("department")
            .prefetch_related("teachers")
            .order_by("academic_year", "semester", "code")
        ):
            yield [
                c.academic_year,
                c.semester,
                c.code,
                c.name,
                c.credits,
                CourseCategory(c.category).label,
                c.grade,
                c.department.code if c.department else "",
                ",".join(sorted(t.username.removeprefix(prefix) for t in c.teachers.all())),
            ]
