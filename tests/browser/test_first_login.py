"""R31 in a real browser: a new student's first login, from the national ID to the dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from licheng.accounts.domain.accounts import register_student

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Mingde-2026-ok"


def test_r31_student_first_login_change_password_verify_email_dashboard(page, school_a):
    """R31: login with school + student number and the national ID (upper-case letter) as first
    password, forced change refusing a weak password by name, e-mail verification, dashboard."""
    register_student(
        school_a,
        student_number="1150001",
        national_id_number="a123456789",
        name="陳小明",
        enrolment_date=dt.date(2026, 8, 1),
    )
    page.goto("/login/")
    page.get_by_label("學校").select_option(school_a.code)
    page.get_by_label("帳號").fill("1150001")
    page.get_by_label("密碼").fill("A123456789")
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()

    assert page.url.endswith("/account/password/")
    assert "第一次登入" in page.content()
    # A password containing the national ID is refused, naming the clause.
    page.locator("#id_new_password1").fill("A123456789xY")
    page.get_by_label("再次輸入新密碼").fill("A123456789xY")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存新密碼").click()
    assert "不可包含身分證統一編號" in page.content()

    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("再次輸入新密碼").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="儲存新密碼").click()
    assert page.url.endswith("/account/email/")

    page.get_by_label("電子郵件").fill("ming@example.tw")
    with page.expect_navigation():
        page.get_by_role("button", name="寄送驗證信").click()
    assert "驗證信已寄到 ming@example.tw" in page.get_by_role("status").inner_text()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(path)
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", level=1).count() >= 1
    assert page.locator("html").get_attribute("lang").startswith("zh-Hant")
    assert "陳小明" in page.content()
