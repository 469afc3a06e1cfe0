"""R33 in a real browser: a parent binds to a child, the homeroom teacher approves, the parent
logs in for the first time and reads the child's dashboard."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.parents.helpers import PARENT_NID

pytestmark = pytest.mark.browser
EMAIL = "mom@example.tw"
NEW_PASSWORD = "Parent-pass-2026"


def _submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_r33_binding_through_approval_to_first_login_and_read_only_view(
    page, student, school_a, teacher
):
    """R33: code by e-mail, relation and child, statement scrolled to the end, parent data and
    signature; the homeroom teacher approves; first login with the last 6 ID digits; forced
    change; the child's read-only dashboard."""
    page.goto("/login/")
    with page.expect_navigation():
        page.get_by_role("link", name="家長／監護人：申請親子綁定").click()

    # Step 1: verification code
    page.get_by_label("電子郵件信箱").fill(EMAIL)
    _submit(page, "取得驗證碼")
    code = re.search(r"(\d{6})", mail.outbox[-1].body).group(1)
    page.get_by_label("驗證碼").fill(code)
    _submit(page, "確認")

    # Step 2: relation and child
    page.get_by_label("與學生的關係").select_option("mother")
    page.get_by_label("高中", exact=True).check()
    page.get_by_label("學生身分證統一編號").fill(student.national_id)
    page.get_by_label("學生就讀學校").select_option(str(school_a.pk))
    _submit(page, "下一步")

    # Step 3: the box can be ticked only once the statement is scrolled to its end
    accept = page.get_by_label("本人已詳閱並同意以上條款聲明")
    assert accept.is_disabled()
    page.locator(".js-statement").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    # expect() polls with Playwright's own injected code; a wait_for_function string would be
    # eval'd in the page, which the CSP (no unsafe-eval) rightly refuses.
    expect(accept).to_be_enabled()
    accept.check()
    _submit(page, "下一步")

    # Step 4: the parent's data and signature
    page.get_by_label("家長身分證統一編號").fill(PARENT_NID)
    page.get_by_label("家長姓名").fill("陳媽媽")
    page.get_by_label("行動電話/市話號碼").fill("0912345678")
    page.get_by_label("電子簽名").fill("陳")
    _submit(page, "送出資料")
    assert "電子簽名須簽署全名" in page.content()  # a signature that is not the full name
    page.get_by_label("電子簽名").fill("陳媽媽")
    _submit(page, "送出資料")
    assert "待導師審核" in page.get_by_role("table").inner_text()

    # The homeroom teacher approves from the queue
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("學校").select_option(school_a.code)
    page.get_by_label("帳號").fill(teacher.username.split(":", 1)[1])
    page.get_by_label("密碼").fill(PASSWORD)
    _submit(page, "登入")
    page.goto("/homeroom/bindings/")
    assert "陳媽媽" in page.content()
    _submit(page, "核准")
    assert "已核准" in page.get_by_role("status").inner_text()
    assert any("審核通過" in m.subject for m in mail.outbox)

    # The parent's first login: e-mail + last 6 digits of the national ID, then a new password
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("帳號").fill(EMAIL)
    page.get_by_label("密碼").fill(PARENT_NID[-6:])
    _submit(page, "登入")
    assert page.url.endswith("/account/password/")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("再次輸入新密碼").fill(NEW_PASSWORD)
    _submit(page, "儲存新密碼")

    # The read-only dashboard of the child
    assert page.url.endswith("/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=student.name).click()
    assert student.name in page.get_by_role("heading", level=1).inner_text()
    assert student.student_number in page.content()
    assert page.get_by_role("heading", name="期限").count() == 1
    assert page.get_by_role("main").locator("form").count() == 0
