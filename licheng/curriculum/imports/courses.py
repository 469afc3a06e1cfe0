"""Importing course plans and courses (課程計畫與課程).

A row with a course code is a course the school's own system already holds a code for. Every
code is validated: its structure and check character, and that its school, academic year and
category agree with the row; a known code updates name, credits and teachers (audited).

A row without a code is a course of the plan still to be filed: it becomes a draft course plan,
which the school submits and the central administrator publishes (and codes) as usual. A draft
already filed with the same year, semester, subject, grade, department and category is left
as it is, so re-importing the file changes nothing.
"""

from __future__ import annotations

from typing import Any

from licheng.accounts.enums import Role
from licheng.accounts.models import User
from licheng.audit.domain import record
from licheng.lib import course_code
from licheng.lib.i18n import in_source_language
from licheng.schools.models import Department, School

from ..domain.plans import create_plan
from ..enums import CourseCategory
from ..models import Course, CoursePlan
from .base import Importer, RowInvalid, choice_in, int_in, text_in

FIELDS = ["name", "credits", "category", "grade", "department"]


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
    required = ["學年度", "學期", "課程名稱", "學分數", "課程類別", "年級"]

    def __init__(self, school: School, actor: Any):
        super().__init__(school, actor)
        self.departments = {d.code: d for d in Department.objects.filter(school=school)}
        prefix = f"{school.code}:"
        self.teachers = {
            u.username.removeprefix(prefix): u
            for u in User.objects.filter(roles__role=Role.TEACHER, roles__school=school)
        }

    def _code(self, text: str, year: int, category: str) -> str:
        try:
            code = course_code.parse(text)
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
        if category != code.category:
            raise RowInvalid("課程類別", "課程類別與課程代碼的類別代號不符")
        return str(code)

    def _teachers(self, row: dict[str, str]) -> list[User]:
        teachers = []
        names = row.get("任課教師帳號", "").replace("、", ",").split(",")
        for account in filter(None, (a.strip() for a in names)):
            if account not in self.teachers:
                raise RowInvalid("任課教師帳號", f"本校沒有任課教師帳號 {account[:30]}")
            teachers.append(self.teachers[account])
        return teachers

    def check(self, row: dict[str, str]) -> tuple[Any, Any]:
        year = int_in(row, "學年度", 1, 999)
        semester = int_in(row, "學期", 1, 2)
        name = text_in(row, "課程名稱", 100)
        credits = int_in(row, "學分數", 0, 20)
        category = choice_in(row, "課程類別", CourseCategory)
        grade = int_in(row, "年級", 1, 3)
        dept_code = row.get("科別代碼", "").strip().upper()
        if dept_code and dept_code not in self.departments:
            raise RowInvalid("科別代碼", f"本校沒有科別代碼 {dept_code[:10]}")
        values = {
            "name": name,
            "credits": credits,
            "category": category,
            "grade": grade,
            "department": self.departments.get(dept_code),
        }
        teachers = self._teachers(row)
        text = row.get("課程代碼", "").strip()
        if not text:
            key = ("plan", year, semester, name, grade, dept_code, category)
            return key, ("plan", year, semester, values, teachers)
        code = self._code(text, year, category)
        return (code, year, semester), (code, year, semester, values, teachers)

    def apply(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        drafts = {
            (p.academic_year, p.semester, p.name, p.grade, p.department_id, p.category)
            for p in CoursePlan.objects.filter(school=self.school, course__isnull=True)
        }
        for code, year, semester, values, teachers in self.valid:
            if code == "plan":
                key = (
                    year,
                    semester,
                    values["name"],
                    values["grade"],
                    _pk(values["department"]),
                    values["category"],
                )
                if key in drafts:
                    counts["unchanged"] += 1
                    continue
                create_plan(
                    self.school,
                    actor=self.actor,
                    teachers=teachers,
                    academic_year=year,
                    semester=semester,
                    **values,
                )
                drafts.add(key)
                counts["created"] += 1
            else:
                counts[self._course(code, year, semester, values, teachers)] += 1
        record("curriculum.import.courses", actor=self.actor, school=self.school, after=counts)
        return counts

    def _course(self, code: str, year: int, semester: int, values: dict, teachers: list) -> str:
        course, made = Course.objects.get_or_create(
            school=self.school, academic_year=year, semester=semester, code=code, defaults=values
        )
        if made:
            course.teachers.set(teachers)
            record(
                "curriculum.course.import",
                actor=self.actor,
                obj=course,
                after={"code": code, **values},
            )
            return "created"
        before = {k: getattr(course, k) for k, v in values.items() if getattr(course, k) != v}
        old_teachers = sorted(course.teachers.values_list("pk", flat=True))
        new_teachers = sorted(t.pk for t in teachers)
        if not before and old_teachers == new_teachers:
            return "unchanged"
        for k in before:
            setattr(course, k, values[k])
        course.save()
        course.teachers.set(teachers)
        after = {k: values[k] for k in before}
        if old_teachers != new_teachers:
            before["teachers"], after["teachers"] = old_teachers, new_teachers
        record("curriculum.course.update", actor=self.actor, obj=course, before=before, after=after)
        return "updated"

    @classmethod
    def export_rows(cls, school: School):
        prefix = f"{school.code}:"

        def cells(code: str, x: Any) -> list[Any]:
            return [
                x.academic_year, x.semester, code, x.name, x.credits,
                in_source_language(CourseCategory(x.category).label), x.grade,
                x.department.code if x.department else "",
                ",".join(sorted(t.username.removeprefix(prefix) for t in x.teachers.all())),
            ]  # fmt: skip

        courses = Course.objects.filter(school=school).order_by("academic_year", "semester", "code")
        for c in courses.select_related("department").prefetch_related("teachers"):
            yield cells(c.code, c)
        plans = CoursePlan.objects.filter(school=school, course__isnull=True).order_by("id")
        for p in plans.select_related("department").prefetch_related("teachers"):
            yield cells("", p)


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None
