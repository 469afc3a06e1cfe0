"""The student edits a diverse performance and swaps its proof; the school administrator sees
the replaced file with its size and purges it after confirming — axe checking every page."""

from __future__ import annotations

import re

import pytest

from licheng.devtools import samples
from licheng.evidence.models import StoredFile
from tests.portfolio.conftest import open_window, pdf
from tests.portfolio.test_performances import add

from .test_evidence_flow import log_in, log_out

pytestmark = pytest.mark.browser


def test_edit_swap_proof_then_school_purges(page, student, school_admin, school_a):
    """R16: the old proof is kept until the school purges it, after a confirmation."""
    from licheng.schools.enums import WindowKind

    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD)
    item = add(student, files=[pdf("舊證明.pdf")])
    old = item.files.get()
    log_in(page, school_a, student.student_number)
    page.goto("/performances/")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("修改或刪除.*全國科展")).click()
    page.get_by_label("名稱").fill("全國科展（決賽）")
    page.get_by_label("舊證明.pdf").check()
    page.get_by_label(
        "新增證明文件（PDF、JPG、PNG 4 MB；MP3、MP4 10 MB；合計最多 3 個）"
    ).set_input_files(
        files=[{"name": "新證明.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="儲存修改").click()
    main = page.locator("main").inner_text()
    assert "新證明.pdf" in main and "舊證明.pdf" not in main, main
    log_out(page)

    log_in(page, school_a, school_admin.username.split(":", 1)[1])
    page.goto("/school/replaced-files/")
    assert "舊證明.pdf" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="清除全部舊版檔案…").click()
    page.get_by_label("我確定要永久刪除這些舊版檔案").check()
    with page.expect_navigation():
        page.get_by_role("button", name="確定清除").click()
    assert "已清除 1 個舊版檔案" in page.locator("main").inner_text()
    assert not StoredFile.objects.filter(pk=old.pk).exists()


def test_r15_student_adds_a_competition_through_the_page(page, student, school_a):
    """R15: before a category is picked no category's fields show; picking 競賽 shows only its
    fields (the others are hidden and not sent), and the item is saved with what was typed —
    even though a cadre post, a volunteer service and others have fields of the same names."""
    from licheng.portfolio.models import Performance
    from licheng.schools.enums import WindowKind

    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD)
    log_in(page, school_a, student.student_number)
    page.goto("/performances/")
    assert page.locator(".category-fields:visible").count() == 0
    page.get_by_label("類別").select_option("competition")
    assert page.locator(".category-fields:visible").count() == 1
    page.locator("#id_title").fill("全國科展")
    page.get_by_label("活動日期").fill(student.earliest_activity_date.isoformat())
    sets = page.locator('.category-fields[data-category="competition"]')
    sets.get_by_label("主辦單位").fill("教育部")
    sets.get_by_label("競賽等級").select_option("全國")
    sets.get_by_label("獎項/名次").fill("佳作")
    sets.get_by_label("個人或團體").select_option("團體")
    page.get_by_label("簡述").fill("我負責實驗設計與數據分析，學到控制變因，下次會增加樣本數。")
    page.locator("#id_files").set_input_files(
        files=[{"name": "獎狀.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上傳", exact=True).click()
    assert "已上傳「全國科展」" in page.locator("main").inner_text()
    item = Performance.objects.get(title="全國科展")
    assert item.details == {"organizer": "教育部", "level": "全國", "award": "佳作", "team": "團體"}


def test_team_hint_follows_the_individual_or_team_choice(page, student, school_a):
    """Quality hints: a team item needs the student's own part; the hint appears when 團體 is
    chosen after the description was typed, and goes when 個人 is chosen (not only on typing)."""
    from licheng.schools.enums import WindowKind

    from .conftest import assert_accessible

    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD)
    log_in(page, school_a, student.student_number)
    page.goto("/performances/")
    page.get_by_label("類別").select_option("competition")
    page.get_by_label("簡述").fill("完成水質調查，學到採樣方法，下次會擴大採樣範圍並比較季節差異。")
    live = page.locator("#hints")
    live.get_by_text("簡述看起來很完整").wait_for()
    team = page.locator('.category-fields[data-category="competition"]').get_by_label("個人或團體")
    team.select_option("團體")
    live.locator('[data-hint="no_own_part"]').wait_for()
    assert_accessible(page)
    team.select_option("個人")
    live.get_by_text("簡述看起來很完整").wait_for()
    assert live.locator('[data-hint="no_own_part"]').count() == 0
