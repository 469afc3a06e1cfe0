"""Course plans (課程計畫, tier 1): draft → submitted → published with a course code."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licheng.audit.models import AuditEntry
from licheng.curriculum.domain import plans
from licheng.curriculum.enums import PlanState
from licheng.lib import course_code
from tests.factories import DepartmentFactory


def _draft(school, admin, **extra):
    values = {
        "academic_year": 113,
        "semester": 1,
        "name": "數學",
        "credits": 4,
        "category": "national_required",
        "grade": 1,
        "department": None,
    } | extra
    return plans.create_plan(school, actor=admin, **values)


def test_plan_publish_gives_a_valid_code_and_a_course(
    school_a, school_admin, central_admin, teacher
):
    dept = DepartmentFactory(school=school_a, code="101")
    plan = _draft(school_a, school_admin, department=dept)
    plan.teachers.set([teacher])
    plans.submit_plan(plan, actor=school_admin)
    plan = plans.publish_plan(plan, actor=central_admin)
    code = course_code.parse(plan.course.code)
    assert (
        code.academic_year,
        code.school_code,
        code.category,
        code.department_code,
        code.serial,
    ) == (
        113,
        "310301",
        "national_required",
        "101",
        1,
    )
    assert plan.state == PlanState.PUBLISHED
    assert list(plan.course.teachers.all()) == [teacher]
    assert AuditEntry.objects.filter(action="curriculum.plan.publish").count() == 1


def test_plan_serials_count_up_per_category(school_a, school_admin, central_admin):
    codes = []
    for name in ("數學A", "數學B"):
        plan = _draft(school_a, school_admin, name=name)
        plans.submit_plan(plan, actor=school_admin)
        codes.append(course_code.parse(plans.publish_plan(plan, actor=central_admin).course.code))
    assert [c.serial for c in codes] == [1, 2]


def test_plan_cannot_be_published_before_submission(school_a, school_admin, central_admin):
    plan = _draft(school_a, school_admin)
    with pytest.raises(plans.PlanError):
        plans.publish_plan(plan, actor=central_admin)


def test_plan_submitted_cannot_be_edited_until_returned(school_a, school_admin, central_admin):
    plan = _draft(school_a, school_admin)
    plans.submit_plan(plan, actor=school_admin)
    with pytest.raises(plans.PlanError):
        plans.update_plan(plan, actor=school_admin, name="改名")
    with pytest.raises(plans.PlanError, match="理由"):
        plans.return_plan(plan, actor=central_admin, reason=" ")
    plans.return_plan(plan, actor=central_admin, reason="學分數有誤")
    plan = plans.update_plan(plan, actor=school_admin, credits=3)
    assert (plan.state, plan.credits, plan.refusal_reason) == (PlanState.DRAFT, 3, "學分數有誤")


def test_plan_rejects_bad_input_with_the_field(school_a, school_admin):
    with pytest.raises(plans.PlanError) as err:
        _draft(school_a, school_admin, credits=99)
    assert err.value.field == "credits"


def test_plan_syllabus_must_be_a_pdf(school_a, school_admin):
    plan = _draft(school_a, school_admin)
    with pytest.raises(plans.PlanError, match="PDF"):
        plans.attach_syllabus_pdf(
            plan, actor=school_admin, upload=SimpleUploadedFile("a.pdf", b"GIF89a")
        )
    plans.attach_syllabus_pdf(
        plan, actor=school_admin, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    assert len(plan.syllabus_pdf_sha256) == 64


def test_plan_page_creates_a_draft(login, school_admin):
    client = login(school_admin)
    response = client.post(
        reverse("web:records_plans"),
        {
            "name": "英文",
            "academic_year": 113,
            "semester": 1,
            "grade": 1,
            "credits": 4,
            "category": "national_required",
        },
    )
    assert response.status_code == 302
    assert "英文" in client.get(reverse("web:records_plans")).content.decode()


def test_central_admin_publishes_from_the_queue(login, school_a, school_admin, central_admin):
    plan = _draft(school_a, school_admin)
    plans.submit_plan(plan, actor=school_admin)
    response = login(central_admin).post(
        reverse("web:records_plan_decide", args=[plan.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED


def test_public_lookup_shows_the_course_without_login(client, course):
    response = client.get(
        reverse("web:records_course_lookup"), {"code": course.code.replace("-", "").lower()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "國語文" in body and course.school.name in body and "古文與現代文選讀" in body


def test_public_lookup_explains_a_bad_code(client):
    response = client.get(reverse("web:records_course_lookup"), {"code": "113-313301-A-101-001-X"})
    assert response.status_code == 400
    assert "檢查碼錯誤" in response.content.decode()


def test_api_course_lookup(client, course):
    response = client.get(f"/api/v1/courses/{course.code}")
    assert response.status_code == 200
    assert response.json()[0]["credits"] == 4
    assert client.get("/api/v1/courses/nonsense").status_code == 400
    unused = str(course_code.CourseCode(100, "310301", "flexible", "000", 9))
    assert client.get(f"/api/v1/courses/{unused}").status_code == 404


def test_syllabus_pdf_is_public_once_published(client, school_a, school_admin, central_admin):
    plan = _draft(school_a, school_admin)
    plans.attach_syllabus_pdf(
        plan, actor=school_admin, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    url = reverse("web:records_syllabus_pdf", args=[plan.pk])
    assert client.get(url).status_code == 404  # a draft is not public
    plans.submit_plan(plan, actor=school_admin)
    plans.publish_plan(plan, actor=central_admin)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
