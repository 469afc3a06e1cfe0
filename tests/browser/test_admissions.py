"""Admissions in a real browser: a student applies with consent, a reviewer scores, the chair
sees the 差分檢核 flag and the ranking (R39, R41). Every page is checked by axe."""

from __future__ import annotations

from decimal import Decimal

import pytest

from licheng.accounts.enums import Role
from licheng.admissions.enums import ItemKind
from tests.admissions.fixtures import PDF_BYTES, department, score, seat
from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.browser


def _login(page, username: str, school_code: str = "") -> None:
    page.goto("/login/")
    if school_code:
        page.get_by_label("學校").select_option(school_code)
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()


def _logout(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="登出").click()


def test_student_applies_reviewer_scores_chair_sees_flag_and_ranking(
    page, student, school_a, reviewer, tmp_path
):
    """R39 consent → preview → frozen release; R41 scoring, 差分檢核 flag, ranked table."""
    dept = department(code="B001", threshold=Decimal(10))
    seat(dept, reviewer, chair=True)
    member = seat(dept, staff(Role.REVIEWER, None, full_name="第二位委員"))

    _login(page, student.student_number, school_a.code)
    page.goto("/apply/")
    page.get_by_label("我同意授權釋出學習歷程資料").check()
    with page.expect_navigation():
        page.get_by_role("button", name="報名並同意授權").click()
    page.get_by_label("申請校系").select_option(str(dept.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="新增申請校系").click()
    page.get_by_label("多元表現綜整心得（D1）").fill("擔任資訊社社長，帶領社員完成校園專題。")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存書面資料").click()
    pdf = tmp_path / "portfolio.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("檔案類別").select_option(ItemKind.SELF_PORTFOLIO.value)
    page.get_by_label("名稱").fill("我的學習歷程")
    page.locator("#id_file").set_input_files(str(pdf))
    with page.expect_navigation():
        page.get_by_role("button", name="上傳").click()
    with page.expect_navigation():
        page.get_by_role("link", name="預覽校系將收到的資料").click()
    assert "考生自行上傳（未經認證）" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="確認送出").click()
    assert "已確認送出" in page.get_by_role("status").inner_text()
    _logout(page)

    application = dept.applications.get()
    score(application, member, (1, 1))  # the other reviewer was far harsher
    _login(page, reviewer.username)
    page.goto(f"/review/departments/{dept.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="陳小明").click()
    assert "我的學習歷程" in page.content()
    for criterion in dept.criteria.all():
        page.get_by_role("group", name=criterion.name).get_by_label("5 —").check()
    page.get_by_label("評語").fill("反思具體，動機明確。")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存評分").click()
    assert "評分已儲存" in page.get_by_role("status").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="排序表與差分檢核").click()
    row = page.get_by_role("row", name="陳小明")
    assert "須再討論" in row.inner_text()
    assert "100.00、20.00" in row.inner_text() or "20.00、100.00" in row.inner_text()


def test_reviewer_moves_to_the_next_applicant_by_keyboard(page, student, other_student, reviewer):
    """R41: a reviewer goes through the applicants with N (next) and P (previous)."""
    from tests.admissions.fixtures import submitted_application

    dept = department(code="B002")
    seat(dept, reviewer)
    first = submitted_application(student, dept)
    second = submitted_application(other_student, dept)
    _login(page, reviewer.username)
    page.goto(f"/review/applications/{first.pk}/")

    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.endswith(f"/review/applications/{second.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "林小華"

    page.get_by_label("評語").focus()
    page.keyboard.press("p")  # typing in a field does not navigate
    assert page.url.endswith(f"/review/applications/{second.pk}/")


def test_committee_sets_up_a_department_and_is_told_each_broken_r30_clause(page, committee):
    """R28 caps as data, a rubric through a real form, R30 weights refused clause by clause."""
    _login(page, committee.username)
    page.goto("/admissions/")
    page.get_by_role("spinbutton", name="學年度").fill("116")
    with page.expect_navigation():
        page.get_by_role("button", name="建立").click()
    assert "四技二專甄選入學" in page.content()

    page.get_by_role("link", name="新增校系").nth(1).click()
    page.wait_for_load_state()
    page.locator("#id_code").fill("201301")
    page.locator("#id_university").fill("國立臺北科技大學")
    page.locator("#id_name").fill("機械工程系")
    page.locator("#id_max_project_outcomes").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存").click()
    assert "校系資料已儲存" in page.get_by_role("status").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="評分尺規").click()
    page.locator("#id_form-0-name").fill("實作能力")
    page.locator("#id_form-0-weight").fill("100")
    for n in range(1, 6):
        page.get_by_label(f"第 {n} 級描述").first.fill(f"第{n}級")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存評分尺規").click()
    assert "評分尺規已儲存" in page.get_by_role("status").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="成績比例").click()
    page.get_by_label("統一入學測驗（%）").fill("50")
    page.get_by_label("學習歷程資料審查（%）").fill("50")
    with page.expect_navigation():
        page.get_by_role("button", name="儲存成績比例").click()
    alert = page.get_by_role("alert").inner_text()
    assert "統一入學測驗成績比例不可超過 40%（目前為 50%）" in alert
    assert "「專題實作及實習成果審查」為必要項目，比例須大於 0%" in alert
    assert "請列出統測採計科目及加權" in alert
