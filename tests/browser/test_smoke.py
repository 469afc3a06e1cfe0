"""The login page in a real browser: zh-Hant by default, accessible, and a wrong password is told."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_login_page_renders_in_traditional_chinese(page):
    page.goto("/login/")

    assert page.locator("html").get_attribute("lang").startswith("zh-Hant")
    assert page.get_by_role("heading", level=1).inner_text() == "登入學習歷程平臺"


def test_login_with_wrong_password_shows_the_error(page, teacher, school_a):
    page.goto("/login/")
    page.get_by_label("學校").select_option(school_a.code)
    page.get_by_label("帳號").fill(teacher.username)
    page.get_by_label("密碼").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()

    assert "帳號或密碼錯誤" in page.get_by_role("alert").inner_text()
    assert page.url.endswith("/login/")
