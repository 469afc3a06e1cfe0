"""In a real browser, axe checking every page: the student deletes a draft after confirming
(R11); the teacher returns an outcome seeing its video, which seeks by byte range (R13); a file
missing from storage says so in the site's layout."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from licheng.devtools import samples
from licheng.portfolio.domain.outcomes import create_outcome
from licheng.portfolio.models import LearningOutcome
from licheng.schools.enums import WindowKind
from tests.portfolio.conftest import enrol, make_course, open_window

from .test_evidence_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def course(school_a, teacher, student):
    for kind in WindowKind:
        open_window(school_a, kind)
    return enrol(student, make_course(school_a, teacher, name="化學"))


def outcome_of(student, course, *, submit):
    return create_outcome(
        student,
        course=course,
        title="酸鹼滴定實驗",
        description="我負責滴定與記錄數據，學到如何判斷終點。",
        document=SimpleUploadedFile("滴定報告.pdf", samples.pdf_bytes("titration")),
        media=SimpleUploadedFile("實驗影片.mp4", samples.mp4_bytes(seconds=3.0)),
        submit=submit,
        actor=student.user,
    )


def test_r11_student_deletes_a_draft_after_confirming(page, student, school_a, course):
    draft = outcome_of(student, course, submit=False)
    log_in(page, school_a, student.student_number)
    page.goto(f"/outcomes/{draft.pk}/")
    # From the keyboard (as test_evidence_flow does): a click aimed while the PDF preview above
    # still lays out can land beside its target.
    with page.expect_navigation():
        page.get_by_role("link", name="刪除這份草稿…").press("Enter")
    assert "確定要刪除草稿「酸鹼滴定實驗」" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="確定刪除").click()
    assert page.url.endswith("/outcomes/")
    assert "已刪除草稿「酸鹼滴定實驗」" in page.locator(".messages").inner_text()
    assert not LearningOutcome.objects.filter(pk=draft.pk).exists()


def test_r13_teacher_sees_the_work_before_returning_and_the_video_seeks(
    page,
    student,
    teacher,
    school_a,
    course,
):
    outcome = outcome_of(student, course, submit=True)
    partial: list[str] = []
    page.on(
        "response",
        lambda r: (
            partial.append(r.headers.get("content-range", ""))
            if f"/files/{outcome.media_id}/" in r.url and r.status == 206
            else None
        ),
    )
    log_in(page, school_a, teacher.username.split(":", 1)[1])
    page.goto(f"/certification/outcome/{outcome.pk}/return/")
    main = page.locator("main").inner_text()
    assert "陳小明" in main and "化學" in main and "學到如何判斷終點" in main
    assert page.locator("iframe.pdf-frame").count() == 1
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v && v.readyState >= 1 && v.duration > 0; }"
    )
    page.evaluate(
        "() => new Promise(done => { const v = document.querySelector('video');"
        " v.addEventListener('seeked', done, {once: true}); v.currentTime = v.duration / 2; })"
    )
    assert partial and all(re.fullmatch(r"bytes \d+-\d+/\d+", r) for r in partial), partial
    page.get_by_label("退回原因").select_option("not_this_course")
    with page.expect_navigation():
        page.get_by_role("button", name="退回").press("Enter")
    assert "已退回「酸鹼滴定實驗」" in page.locator(".messages").inner_text()


def test_missing_file_page_is_in_the_sites_layout(page, student, school_a, course):
    outcome = outcome_of(student, course, submit=False)
    default_storage.delete(outcome.document.storage_name)
    log_in(page, school_a, student.student_number)
    response = page.goto(f"/files/{outcome.document_id}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="檔案無法讀取").is_visible()
    assert "學校管理者" in page.locator("main").inner_text()
