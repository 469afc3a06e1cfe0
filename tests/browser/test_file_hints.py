"""Choosing a long PDF shows the page-count hint at once, before anything is saved (品質提示),
read out by the live region; axe checks the page with the hint in it."""

from __future__ import annotations

import pytest

from licheng.devtools import samples
from licheng.evidence.models import StoredFile

from .conftest import assert_accessible
from .test_evidence_flow import course, log_in  # noqa: F401  (course is a fixture)

pytestmark = pytest.mark.browser


def _choose(page, label, name, pages):
    page.get_by_label(label).set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "application/pdf",
                "buffer": samples.pdf_bytes("long report", pages=pages),
            }
        ]
    )


def test_choosing_a_many_page_pdf_warns_before_saving(page, student, school_a, course):  # noqa: F811
    """R10: the hint on a 15-page PDF appears when it is chosen; nothing is stored by it."""
    log_in(page, school_a, student.student_number)
    page.goto("/outcomes/")
    hints = page.locator("#id_document-hints")
    assert hints.get_attribute("aria-live") == "polite"
    _choose(page, "文件檔（PDF、JPG、PNG，4 MB 以內）", "長篇報告.pdf", 15)
    hints.get_by_text("PDF 有 15 頁").wait_for()
    assert "長篇報告.pdf" in hints.inner_text()
    assert_accessible(page)
    assert not StoredFile.objects.exists()
    # Choosing a shorter file replaces the warning with a reassurance; still nothing stored.
    _choose(page, "文件檔（PDF、JPG、PNG，4 MB 以內）", "精簡版.pdf", 3)
    hints.get_by_text("精簡版.pdf：共 3 頁").wait_for()
    assert "15 頁" not in hints.inner_text()
    assert_accessible(page)
    assert not StoredFile.objects.exists()


def test_performance_proofs_are_checked_when_chosen(page, student, school_a, course):  # noqa: F811
    """R16: each chosen proof is checked; the long one is named in the warning."""
    log_in(page, school_a, student.student_number)
    page.goto("/performances/")
    page.get_by_label("證明文件（PDF、JPG、PNG 4 MB；MP3、MP4 10 MB；最多 3 個）").set_input_files(
        files=[
            {"name": "證書.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes()},
            {
                "name": "成果冊.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.pdf_bytes("portfolio", pages=24),
            },
        ]
    )
    hints = page.locator("#id_files-hints")
    hints.get_by_text("PDF 有 24 頁").wait_for()
    text = hints.inner_text()
    assert "成果冊.pdf" in text and "證書.pdf：共 1 頁" in text
    assert_accessible(page)
    assert not StoredFile.objects.exists()


def test_fixing_a_returned_outcome_counts_the_description_as_it_is_typed(
    page,
    student,
    school_a,
    course,  # noqa: F811
    teacher,
):
    """R10, R13: the form that fixes a returned outcome counts the description live (a CJK
    character is one) and warns over 100 characters before anything is saved."""
    from licheng.portfolio.domain.outcomes import return_outcome
    from licheng.portfolio.enums import ReturnReason
    from tests.portfolio.test_outcomes import upload

    outcome = upload(student, course)
    return_outcome(outcome, teacher=teacher, reason=ReturnReason.UNREADABLE, note="")
    log_in(page, school_a, student.student_number)
    page.goto(f"/outcomes/{outcome.pk}/")
    page.get_by_label("簡述").fill("我負責實驗設計，學到控制變因，下次會增加樣本數。" * 5)
    live = page.locator("#hints")
    live.get_by_text("已輸入 120／100 字").wait_for()
    assert "超過 100 字上限" in live.inner_text()
    assert_accessible(page)
