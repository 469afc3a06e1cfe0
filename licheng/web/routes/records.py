"""School records (校務資料): course plans, basic data, course and counselling records, imports.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role

from ..menu import MenuEntry
from ..views.records import (
    basic,
    counselling,
    grades,
    imports,
    panels,
    parent_section,  # noqa: F401 — registers the parent's read-only section (R33)
    plans,
    public,
)

urlpatterns = [
    path("courses/lookup/", public.course_lookup, name="records_course_lookup"),
    path("school/plans/", plans.plan_list, name="records_plans"),
    path("school/plans/<int:pk>/", plans.plan_detail, name="records_plan"),
    path("central/plans/", plans.plan_review, name="records_plan_review"),
    path("central/plans/<int:pk>/decide/", plans.plan_decide, name="records_plan_decide"),
    path("teaching/courses/", grades.course_list, name="records_courses"),
    path("teaching/courses/<int:pk>/grades/", grades.grade_grid, name="records_grades"),
    path("teaching/courses/<int:pk>/enrol/", grades.enrol_class, name="records_enrol"),
    path("my/records/", grades.my_records, name="records_my"),
    path("my/basic-data/", basic.my_basic_data, name="records_my_basic"),
    path("school/students/", basic.student_list, name="records_students"),
    path("school/students/<int:pk>/", basic.student_detail, name="records_student"),
    path("school/corrections/<int:pk>/", basic.resolve_correction, name="records_correction"),
    path("counselling/", counselling.counselling, name="records_counselling"),
    path("school/counsellors/", counselling.counsellor_assignments, name="records_counsellors"),
    path("courses/syllabus/<int:pk>.pdf", public.syllabus_pdf, name="records_syllabus_pdf"),
    path("school/imports/", imports.import_list, name="records_imports"),
    path("school/imports/<int:pk>/", imports.import_detail, name="records_import"),
    path(
        "school/imports/<int:pk>/progress/", imports.import_progress, name="records_import_progress"
    ),
    path(
        "school/imports/template/<str:kind>/<str:fmt>/",
        imports.template,
        name="records_import_template",
    ),
    path("school/exports/<str:kind>/<str:fmt>/", imports.export, name="records_export"),
]

MENU: list[Any] = [
    MenuEntry(_("課程計畫"), "web:records_plans", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("學生基本資料"), "web:records_students", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("批次匯入匯出"), "web:records_imports", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("課程諮詢分配"), "web:records_counsellors", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("課程計畫審查"), "web:records_plan_review", frozenset({Role.CENTRAL_ADMIN})),
    MenuEntry(_("成績登錄"), "web:records_courses", frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})),
    MenuEntry(_("課程諮詢紀錄"), "web:records_counselling", frozenset({Role.COUNSELOR})),
    MenuEntry(_("我的修課紀錄"), "web:records_my", frozenset({Role.STUDENT})),
    MenuEntry(_("我的基本資料"), "web:records_my_basic", frozenset({Role.STUDENT})),
    MenuEntry(_("課程查詢"), "web:records_course_lookup", frozenset(Role)),
]
PANELS: list[Any] = [
    panels.student_records_panel,
    panels.teacher_grading_panel,
    panels.admin_records_panel,
    panels.central_plans_panel,
]
