"""R33: a bound parent reads the child's outcomes, certification status, performances, receipts
and files — through the same permission-checked file view — and nothing of other children."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licheng.accounts.enums import BindingStatus
from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.files import store_upload
from licheng.portfolio.models import LearningOutcome, Performance
from tests.portfolio.conftest import enrol, make_course

from .helpers import make_binding

pytestmark = pytest.mark.django_db


def _outcome(student, teacher, *, state="certified", title="化學實驗報告"):
    course = enrol(student, make_course(student.school, teacher, code=f"C{title}"))
    document = store_upload(
        SimpleUploadedFile("實驗報告.pdf", samples.pdf_bytes()),
        rules.DOCUMENT,
        owner=student,
        uploaded_by=student.user,
    )
    return LearningOutcome.objects.create(
        student=student,
        course=course,
        academic_year=course.academic_year,
        semester=course.semester,
        title=title,
        description="我負責設計實驗與分析數據",
        document=document,
        state=state,
        certified_by=teacher if state == "certified" else None,
        return_reason="unreadable" if state == "returned" else "",
    )


@pytest.fixture
def bound(parent, student):
    return make_binding(student, parent=parent, status=BindingStatus.APPROVED)


def test_parent_sees_outcomes_with_their_certification_status(
    bound, parent, student, teacher, login
):
    _outcome(student, teacher, state="certified", title="化學實驗報告")
    _outcome(student, teacher, state="returned", title="物理筆記")
    _outcome(student, teacher, state="draft", title="還沒送出的草稿")

    html = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()

    assert "化學實驗報告" in html and "已認證" in html
    assert "物理筆記" in html and "退回修改" in html
    assert "還沒送出的草稿" not in html  # a draft is the student's own business


def test_bound_parent_opens_the_childs_file_through_the_file_view(
    bound, parent, student, teacher, login
):
    """R33: files open through the same permission-checked view; the read is audited (R35)."""
    from licheng.audit.models import AuditEntry

    outcome = _outcome(student, teacher)

    response = login(parent).get(reverse("web:evidence_file", args=[outcome.document.pk]))

    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="evidence.file.read", actor=parent).exists()


def test_unbound_or_pending_parent_cannot_open_the_file(parent, student, teacher, login):
    outcome = _outcome(student, teacher)
    url = reverse("web:evidence_file", args=[outcome.document.pk])

    assert login(parent).get(url).status_code == 404
    make_binding(student, parent=parent, status=BindingStatus.PENDING)
    assert login(parent).get(url).status_code == 404


def test_parent_of_another_child_cannot_open_the_file(
    parent, student, other_student, teacher, login
):
    make_binding(other_student, parent=parent, status=BindingStatus.APPROVED)
    outcome = _outcome(student, teacher)

    response = login(parent).get(reverse("web:evidence_file", args=[outcome.document.pk]))

    assert response.status_code == 404


def test_parent_sees_performances(bound, parent, student, login):
    Performance.objects.create(
        student=student,
        academic_year=student.enrolment_date.year - 1911,
        category="volunteer",
        title="淨灘志工",
        activity_date=dt.date.today(),
        state="submitted",
        source="student",
        created_by=student.user,
    )

    html = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()

    assert "淨灘志工" in html
    assert "志工服務" in html


def test_receipts_section_says_when_nothing_was_received(bound, parent, student, login):
    html = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()

    assert "收訖明細" in html
    assert "中央資料庫尚未收到此學生的資料" in html


def test_r33_parent_list_tells_same_named_courses_apart(login, parent, student, teacher, bound):
    """R33: the parent's list of outcomes names each course as the student's does — with its
    course code when two courses of the semester share a name."""
    _outcome(student, teacher, title="實驗一")
    _outcome(student, teacher, title="實驗二")
    page = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()
    assert "化學（C實驗一）" in page and "化學（C實驗二）" in page
