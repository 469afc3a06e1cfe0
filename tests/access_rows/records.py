"""School records pages: course plans, grades, basic data, counselling (issue 4)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from licheng.curriculum.domain.grades import enrol
from licheng.curriculum.domain.plans import create_plan, publish_plan, submit_plan
from licheng.curriculum.enums import PlanState
from licheng.curriculum.models import CoursePlan
from licheng.schools.domain.basic_data import request_correction
from licheng.schools.models import CorrectionRequest
from tests.access import EVERYONE, Row

ADMIN = frozenset({"school_admin"})
STUDENTS = frozenset({"student", "other_student"})
REDIRECT = frozenset({302})


def _plan(cast, state=PlanState.DRAFT) -> CoursePlan:
    student = cast["student"].student
    existing = CoursePlan.objects.filter(school=student.school, name=f"測試{state}").first()
    if existing:
        return existing
    plan = create_plan(
        student.school,
        actor=cast["school_admin"],
        teachers=[cast["teacher"]],
        academic_year=113,
        semester=1,
        name=f"測試{state}",
        credits=2,
        category="national_required",
        grade=1,
        department=None,
    )
    if state != PlanState.DRAFT:
        submit_plan(plan, actor=cast["school_admin"])
    if state == PlanState.PUBLISHED:
        plan = publish_plan(plan, actor=cast["central_admin"])
        enrol(plan.course, actor=cast["school_admin"], students=[student])
    return plan


def _course(cast):
    return _plan(cast, PlanState.PUBLISHED).course


def _correction(cast) -> CorrectionRequest:
    student = cast["student"].student
    return CorrectionRequest.objects.filter(student=student).first() or request_correction(
        student, actor=cast["student"], field="name", requested_value="陳小名"
    )


def _syllabus_plan(cast):
    from licheng.curriculum.domain.plans import attach_syllabus_pdf

    plan = CoursePlan.objects.filter(name="大綱測試").first()
    if plan:
        return plan
    student = cast["student"].student
    plan = create_plan(
        student.school, actor=cast["school_admin"], academic_year=113, semester=2,
        name="大綱測試", credits=2, category="flexible", grade=1, department=None,
    )  # fmt: skip
    pdf = SimpleUploadedFile("s.pdf", b"%PDF-1.4 syllabus")
    attach_syllabus_pdf(plan, actor=cast["school_admin"], upload=pdf)
    submit_plan(plan, actor=cast["school_admin"])
    return publish_plan(plan, actor=cast["central_admin"])


def _batch(cast):
    from licheng.curriculum.models import ImportBatch

    student = cast["student"].student
    existing = ImportBatch.objects.filter(school=student.school).first()
    if existing:
        return existing
    from licheng.curriculum.domain.imports import start_import

    upload = SimpleUploadedFile("c.csv", "學號,學年度,學期,層級,單位,職稱\n".encode())
    return start_import(student.school, actor=cast["school_admin"], kind="cadres", upload=upload)


ROWS = [
    Row("web:records_course_lookup", EVERYONE),
    Row(
        "web:records_course_lookup",
        EVERYONE,
        query="code=113-313301-A-101-001-X",
        ok=frozenset({400}),
    ),
    Row("web:records_plans", ADMIN),
    Row("web:records_plan", ADMIN, kwargs=lambda cast: {"pk": _plan(cast).pk}),
    Row("web:records_plan_review", frozenset({"central_admin"})),
    Row(
        "web:records_plan_decide",
        frozenset({"central_admin"}),
        kwargs=lambda cast: {"pk": _plan(cast, PlanState.SUBMITTED).pk},
        method="post",
        ok=REDIRECT,
    ),
    Row("web:records_courses", frozenset({"teacher", "other_teacher", "school_admin"})),
    # A teacher grades only their own course; another school's teacher sees nothing.
    Row(
        "web:records_grades",
        frozenset({"teacher", "school_admin"}),
        kwargs=lambda cast: {"pk": _course(cast).pk},
    ),
    Row(
        "web:records_grades",
        frozenset({"teacher", "school_admin"}),
        kwargs=lambda cast: {"pk": _course(cast).pk},
        method="post",
        ok=REDIRECT,
    ),
    Row("web:records_my", STUDENTS),
    Row("web:records_my_basic", STUDENTS),
    Row("web:records_students", ADMIN),
    Row("web:records_student", ADMIN, kwargs=lambda cast: {"pk": cast["student"].student.pk}),
    Row(
        "web:records_correction",
        ADMIN,
        kwargs=lambda cast: {"pk": _correction(cast).pk},
        method="post",
        ok=REDIRECT,
    ),
    Row("web:records_counselling", frozenset()),
    Row("api:course_by_code", EVERYONE, kwargs=lambda cast: {"code": _course(cast).code}),
    Row("web:records_imports", ADMIN),
    Row("web:records_import", ADMIN, kwargs=lambda cast: {"pk": _batch(cast).pk}),
    Row(
        "web:records_import",
        ADMIN,
        kwargs=lambda cast: {"pk": _batch(cast).pk},
        method="post",
        ok=REDIRECT,
    ),
    Row("web:records_import_progress", ADMIN, kwargs=lambda cast: {"pk": _batch(cast).pk}),
    Row(
        "web:records_import_template", ADMIN, kwargs=lambda cast: {"kind": "records", "fmt": "xlsx"}
    ),
    Row("web:records_export", ADMIN, kwargs=lambda cast: {"kind": "records", "fmt": "csv"}),
    Row("web:records_counsellors", ADMIN),
    Row("web:records_syllabus_pdf", EVERYONE, kwargs=lambda cast: {"pk": _syllabus_plan(cast).pk}),
    Row(
        "web:records_enrol",
        ADMIN,
        kwargs=lambda cast: {"pk": _course(cast).pk},
        method="post",
        ok=REDIRECT,
    ),
]
