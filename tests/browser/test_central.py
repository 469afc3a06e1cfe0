"""R22–R25, R36 in a real browser: the student selects, the school pre-checks and submits, the
student confirms the receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from licheng.curriculum.models import Course
from licheng.lib.roc import Term
from licheng.schools.domain.windows import set_window
from licheng.schools.enums import WindowKind
from licheng.selection.models import SubmissionJob
from tests.selection.conftest import make_outcome, make_performance

pytestmark = pytest.mark.browser


def _log_in(page, user, base_url: str) -> None:
    """Start a session for ``user`` and hand its cookie to the browser."""
    client = Client()
    client.force_login(user, backend="licheng.accounts.backends.AccountBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_student_selects_school_submits_student_confirms(
    page, live_server, student, school_admin, teacher
):
    today = timezone.localdate()
    last_year = Term.current().academic_year - 1
    chemistry = Course.objects.create(
        school=student.school,
        academic_year=last_year,
        semester=1,
        code=f"{last_year}310301H11A0202",
        name="化學",
        credits=2,
        category="national_required",
    )
    set_window(
        student.school,
        kind=WindowKind.SELECTION,
        academic_year=last_year,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        actor=school_admin,
    )
    outcome = make_outcome(student, chemistry, "滴定實驗報告", certified_by=teacher)
    make_performance(student, last_year, "圖書館導覽志工")
    base = live_server.url

    # The student ticks an outcome; the running count follows the ticks.
    _log_in(page, student.user, base)
    page.goto("/me/selection/")
    page.get_by_label("滴定實驗報告").check()
    assert page.locator('[data-counter="outcome"]').inner_text() == "1 / 6"
    with page.expect_navigation():
        page.get_by_role("button", name="儲存勾選").click()
    assert "勾選已儲存" in page.get_by_role("status").inner_text()

    # The school pre-checks and submits the year.
    _log_in(page, school_admin, base)
    page.goto(f"/school/submissions/?period={last_year}-0")
    assert page.get_by_role("heading", name="預檢").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="建立並傳送封包").click()
    page.wait_for_load_state()
    assert "中央資料庫已收件" in page.content()
    assert SubmissionJob.objects.get().receipt["students"][0]["items"][0]["id"] == (
        f"outcome-{outcome.pk}"
    )

    # The student sees exactly what was received and confirms it (R36).
    _log_in(page, student.user, base)
    page.goto("/me/receipts/")
    assert "滴定實驗報告" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="確認無誤").click()
    assert "已確認收訖明細無誤" in page.get_by_role("status").inner_text()
    assert "已確認無誤" in page.content()

    # The selection is frozen now (R24).
    page.goto("/me/selection/")
    assert "勾選已鎖定" in page.content()


def test_central_and_school_pages_pass_axe(
    page, live_server, student, other_student, school_admin, central_admin
):
    """Every page of the area, with data on it, passes the automatic accessibility check."""
    from licheng.central.domain.credentials import issue_credential
    from licheng.central.domain.receipts import report_problem
    from tests.central.records import make_record, make_transfer

    record = make_record(student)
    report_problem(record.ack, message="少了一件成果", actor=student.user)
    make_transfer(other_student, student.school)
    issue_credential(student.school, actor=central_admin)
    base = live_server.url
    year = Term.current().academic_year
    _log_in(page, central_admin, base)
    for url in (
        f"/central/?year={record.academic_year}&semester=0",
        f"/central/schools/{student.school.code}/",
        "/central/caps/",
        "/central/keys/",
        f"/central/students/?q={student.national_id}",
        f"/central/students/{record.student_id}/",
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).count() == 1, url
    _log_in(page, school_admin, base)
    for url in (
        f"/school/submissions/?period={year}-1",
        f"/school/submissions/?period={year - 1}-0",
        "/school/receipts/",
        "/school/transfers/",
        "/",
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).count() == 1, url


def test_r38_school_receives_a_transfer_and_the_student_sees_it(
    page, live_server, student, other_student, school_admin
):
    """R38 in a real browser: school A receives school B's student from the central repository;
    the report and the student's pages (with the items marked 轉學帶入) pass axe."""
    from licheng.portfolio.models import LearningOutcome
    from licheng.schools.models import Student
    from tests.central.records import make_transfer

    make_transfer(other_student, student.school)
    base = live_server.url
    _log_in(page, school_admin, base)
    page.goto(f"{base}/school/transfers/")
    incoming = page.get_by_role("region", name="轉入學生")
    incoming.get_by_label("本校學號").fill("T0001")
    with page.expect_navigation():
        incoming.get_by_role("button", name="轉入並帶入資料").click()
    assert "1 筆修課紀錄、1 件課程學習成果、1 件多元表現、2 個檔案" in page.content()
    assert "已轉入" in page.content()
    arrived = Student.objects.get(school=student.school, student_number="T0001")
    arrived.user.__class__.objects.filter(pk=arrived.user_id).update(
        must_change_password=False, email_verified_at=timezone.now()
    )
    _log_in(page, arrived.user, base)
    outcome = LearningOutcome.objects.get(student=arrived)
    for url, text in (
        ("/outcomes/", "轉學帶入"),
        (f"/outcomes/{outcome.pk}/", "於原學校"),
        ("/performances/", "轉學帶入"),
        ("/my/records/", "轉學前修課紀錄"),
    ):
        page.goto(f"{base}{url}")
        assert text in page.content(), url
