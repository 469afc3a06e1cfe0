"""Course plans (課程計畫) and course codes (課程代碼), tier 1 of DOMAIN §2.

A school administrator drafts and submits each course of the year's plan; the central
administrator publishes it, which gives it its course code and creates the ``Course`` that
enrolments and grades attach to.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from licheng.audit.domain import changes, record
from licheng.lib import course_code
from licheng.schools.models import Department, School

from ..enums import CourseCategory, PlanState
from ..models import Course, CoursePlan

PLAN_FIELDS = ["academic_year", "semester", "name", "credits", "category", "grade", "department"]
MAX_SYLLABUS_PDF = 4 * 1024 * 1024
MAX_CREDITS = 20


class PlanError(ValueError):
    """A course plan change that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(school: School, values: dict[str, Any]) -> None:
    if values.get("semester") not in (1, 2):
        raise PlanError("學期須為 1 或 2", "semester")
    if values.get("grade") not in (1, 2, 3):
        raise PlanError("年級須為 1、2 或 3", "grade")
    credits = values.get("credits")
    if not isinstance(credits, int) or not 0 <= credits <= MAX_CREDITS:
        raise PlanError(f"學分數須為 0 到 {MAX_CREDITS} 的整數", "credits")
    if values.get("category") not in CourseCategory.values:
        raise PlanError("請選擇課程類別", "category")
    if not str(values.get("name") or "").strip():
        raise PlanError("請輸入科目名稱", "name")
    year = values.get("academic_year")
    if not isinstance(year, int) or not 1 <= year <= 999:
        raise PlanError("學年度不正確", "academic_year")
    department = values.get("department")
    if department is not None and department.school_id != school.pk:
        raise PlanError("科別不屬於本校", "department")


@transaction.atomic
def create_plan(
    school: School,
    *,
    actor: Any,
    teachers: list[Any] | None = None,
    syllabus: str = "",
    **values: Any,
) -> CoursePlan:
    """Draft one course of the school's course plan."""
    _check(school, values)
    plan = CoursePlan.objects.create(
        school=school, syllabus=syllabus, **{k: values.get(k) for k in PLAN_FIELDS}
    )
    if teachers:
        plan.teachers.set(teachers)
    record("curriculum.plan.create", actor=actor, obj=plan, school=school, after=values)
    return plan


@transaction.atomic
def update_plan(
    plan: CoursePlan, *, actor: Any, teachers: list[Any] | None = None, **values: Any
) -> CoursePlan:
    """Edit a draft; once submitted a plan changes only after the central admin returns it."""
    plan = CoursePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise PlanError("只有草稿可以修改；已送審的課程計畫須由中央退回後才能修改")
    merged = {k: getattr(plan, k) for k in PLAN_FIELDS} | values
    _check(plan.school, merged)
    before, after = changes(plan, [*PLAN_FIELDS, "syllabus"], values)
    for name, value in after.items():
        setattr(plan, name, value)
    plan.save()
    if teachers is not None:
        old = sorted(t.pk for t in plan.teachers.all())
        new = sorted(t.pk for t in teachers)
        if old != new:
            before["teachers"], after["teachers"] = old, new
            plan.teachers.set(teachers)
    if after:
        record("curriculum.plan.update", actor=actor, obj=plan, before=before, after=after)
    return plan


@transaction.atomic
def attach_syllabus_pdf(plan: CoursePlan, *, actor: Any, upload: UploadedFile) -> CoursePlan:
    """Attach the syllabus PDF (教學大綱); the file is kept with its SHA-256."""
    if plan.state != PlanState.DRAFT:
        raise PlanError("只有草稿可以修改", "syllabus_pdf")
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise PlanError("教學大綱檔案須為 PDF", "syllabus_pdf")
    if (upload.size or 0) > MAX_SYLLABUS_PDF:
        raise PlanError("教學大綱 PDF 不可超過 4 MB", "syllabus_pdf")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    before = {"syllabus_pdf_sha256": plan.syllabus_pdf_sha256}
    plan.syllabus_pdf.save(f"{plan.school.code}-{plan.pk}.pdf", upload, save=False)
    plan.syllabus_pdf_sha256 = digest.hexdigest()
    plan.save(update_fields=["syllabus_pdf", "syllabus_pdf_sha256"])
    record(
        "curriculum.plan.syllabus_pdf",
        actor=actor,
        obj=plan,
        before=before,
        after={"syllabus_pdf_sha256": plan.syllabus_pdf_sha256},
    )
    return plan


def _transition(
    plan: CoursePlan, *, actor: Any, frm: PlanState, to: PlanState, action: str, **extra: Any
) -> CoursePlan:
    plan = CoursePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != frm:
        raise PlanError(f"此課程計畫目前為「{plan.get_state_display()}」，無法執行此動作")
    plan.state = to
    for name, value in extra.items():
        setattr(plan, name, value)
    plan.save()
    record(action, actor=actor, obj=plan, before={"state": frm}, after={"state": to, **extra})
    return plan


@transaction.atomic
def submit_plan(plan: CoursePlan, *, actor: Any) -> CoursePlan:
    """The school sends a draft to the central administrator for publication (送審)."""
    return _transition(
        plan,
        actor=actor,
        frm=PlanState.DRAFT,
        to=PlanState.SUBMITTED,
        action="curriculum.plan.submit",
        submitted_at=timezone.now(),
        refusal_reason="",
    )


@transaction.atomic
def return_plan(plan: CoursePlan, *, actor: Any, reason: str) -> CoursePlan:
    """The central administrator sends a submitted plan back to draft, saying why (退回)."""
    reason = reason.strip()
    if not reason:
        raise PlanError("退回時須說明理由", "reason")
    return _transition(
        plan,
        actor=actor,
        frm=PlanState.SUBMITTED,
        to=PlanState.DRAFT,
        action="curriculum.plan.return",
        refusal_reason=reason[:200],
    )


def department_code(department: Department | None) -> str:
    return department.code.upper().zfill(3) if department else course_code.NO_DEPARTMENT


def next_code(plan: CoursePlan) -> course_code.CourseCode:
    """The next free code for the plan's year, school, category and department."""
    dept = department_code(plan.department)
    used = CoursePlan.objects.filter(
        school=plan.school,
        academic_year=plan.academic_year,
        category=plan.category,
        department=plan.department,
        serial__isnull=False,
    ).aggregate(m=Max("serial"))["m"]
    serial = (used or 0) + 1
    # Courses imported with codes from the school's own system share the serial space.
    while Course.objects.filter(
        school=plan.school,
        code=str(
            course_code.CourseCode(
                plan.academic_year, plan.school.code, plan.category, dept, serial
            )
        ),
    ).exists():
        serial += 1
    if serial > 999:
        raise PlanError("此類別課程流水號已滿（999）")
    return course_code.CourseCode(plan.academic_year, plan.school.code, plan.category, dept, serial)


@transaction.atomic
def publish_plan(plan: CoursePlan, *, actor: Any) -> CoursePlan:
    """The central administrator publishes (公告) a submitted plan: it gets its course code and
    becomes a ``Course`` students can be enrolled in and anyone can look up."""
    locked = CoursePlan.objects.select_for_update().get(pk=plan.pk)
    if locked.state != PlanState.SUBMITTED:
        raise PlanError(f"此課程計畫目前為「{locked.get_state_display()}」，無法公告")
    try:
        code = next_code(locked)
    except course_code.CourseCodeError as exc:
        raise PlanError(f"無法產生課程代碼：{exc}") from exc
    course = Course.objects.create(
        school=locked.school,
        academic_year=locked.academic_year,
        semester=locked.semester,
        code=str(code),
        name=locked.name,
        credits=locked.credits,
        category=locked.category,
        grade=locked.grade,
        department=locked.department,
    )
    course.teachers.set(locked.teachers.all())
    locked.course = course
    locked.serial = code.serial
    locked.state = PlanState.PUBLISHED
    locked.published_at = timezone.now()
    locked.save()
    record(
        "curriculum.plan.publish",
        actor=actor,
        obj=locked,
        before={"state": PlanState.SUBMITTED},
        after={"state": PlanState.PUBLISHED, "code": str(code)},
    )
    return locked
