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
