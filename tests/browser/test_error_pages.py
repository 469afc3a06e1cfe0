"""The error pages in a real browser: zh-Hant, accessible (axe runs on every page), a way home."""

from __future__ import annotations

import pytest

from .test_evidence_flow import log_in

pytestmark = pytest.mark.browser


def test_missing_and_refused_pages_are_accessible(page, student, school_a):
    log_in(page, school_a, student.student_number)

    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "找不到這個頁面"

    response = page.goto("/school/proxy-certifiers/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "沒有權限開啟這個頁面"
    with page.expect_navigation():
        page.get_by_role("link", name="回到首頁").click()
    assert page.url.endswith("/")


def test_server_error_page_is_accessible(page, settings):
    settings.ROOT_URLCONF = "tests.web.failing_urls"

    response = page.goto("/boom/")

    assert response.status == 500
    assert page.get_by_role("heading", level=1).inner_text() == "系統暫時發生錯誤"
