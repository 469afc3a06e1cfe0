"""Upload → the teacher certifies → the student sees it certified, in a real browser (R13, R37),
with the inline previews playing (PDF frame, image, audio, video) and axe checking every page."""

from __future__ import annotations

import re

import pytest

from licheng.devtools import samples
from tests.conftest import PASSWORD
from tests.portfolio.conftest import enrol, make_course, open_window

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, school, username):
    page.goto("/login/")
    page.get_by_label("學校").select_option(school.code)
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()


def log_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="登出").click()


@pytest.fixture
def course(school_a, teacher, student):
    from licheng.schools.enums import WindowKind

    for kind in WindowKind:
        open_window(school_a, kind)
    return enrol(student, make_course(school_a, teacher, name="化學"))


def test_upload_then_teacher_certifies_then_student_sees_it(
    page, student, teacher, school_a, course
):
    log_in(page, school_a, student.student_number)
    page.goto("/outcomes/")
    page.get_by_label("課程").select_option(str(course.pk))
    page.get_by_label("成果名稱").fill("酸鹼滴定實驗")
    page.get_by_label("簡述").fill("謝謝老師")
    # The quality hint appears while typing (htmx), warns and never blocks.
    page.get_by_text("審查委員的建議").wait_for()
    assert_accessible(page)
    page.get_by_label("簡述").fill(
        "我負責滴定與記錄數據，學到如何判斷終點；下次我會重複三次取平均。"
    )
    page.get_by_label("文件檔（PDF、JPG、PNG，4 MB 以內）").set_input_files(
        files=[
            {
                "name": "滴定報告.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.pdf_bytes("titration", pages=2),
            }
        ]
    )
    page.get_by_label("影音檔（MP3、MP4，10 MB 以內）").set_input_files(
        files=[{"name": "實驗影片.mp4", "mimeType": "video/mp4", "buffer": samples.mp4_bytes()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上傳並送出認證").click()
    assert "待認證" in page.locator("main").inner_text()
    log_out(page)

    log_in(page, school_a, teacher.username.split(":", 1)[1])
    page.goto(f"/certification/{course.pk}/")
    assert page.locator("iframe.pdf-frame").count() == 1
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v && v.readyState >= 1 && v.duration > 0; }"
    )
    page.get_by_role("checkbox", name=re.compile("陳小明")).check()
    certify = page.get_by_role("button", name="認證勾選的成果")
    # From the keyboard, as a keyboard user would: a mouse click aimed while the PDF viewer in the
    # frame above (and the notification bell) still lay out sometimes landed beside the button.
    with page.expect_navigation():
        certify.press("Enter")
    assert "已認證 1 件" in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, school_a, student.student_number)
    page.goto("/outcomes/")
    assert "已認證" in page.locator("table").inner_text()


def test_image_and_audio_previews_load(page, student, teacher, school_a, course):
    """The queue's image and audio players get real media from the permission-checked view."""
    page.set_default_timeout(60_000)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.portfolio.domain.outcomes import create_outcome

    create_outcome(
        student,
        course=course,
        title="海報與錄音",
        description="我負責設計海報，學到排版，下次會先畫草稿。",
        document=SimpleUploadedFile("海報.png", samples.png_bytes(320, 200)),
        media=SimpleUploadedFile("口頭報告.mp3", samples.mp3_bytes()),
        actor=student.user,
    )
    log_in(page, school_a, teacher.username.split(":", 1)[1])
    page.goto(f"/certification/{course.pk}/")
    page.wait_for_function(
        "() => { const i = document.querySelector('img.preview-img'); return i && i.complete && i.naturalWidth === 320; }"
    )
    page.wait_for_function(
        "() => { const a = document.querySelector('audio'); return a && a.readyState >= 1 && a.duration > 0; }"
    )
