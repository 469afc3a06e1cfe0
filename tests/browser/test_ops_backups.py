"""The central administrator sees the backup status (red when stale) in a real browser; axe
checks both pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from licheng.ops.enums import BackupStatus
from licheng.ops.models import BackupRun
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, user):
    page.goto("/login/")
    page.get_by_label("帳號").fill(user.username)
    page.get_by_label("密碼").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登入").click()


def test_central_admin_sees_a_stale_backup_in_red_and_the_run_list(page, central_admin):
    BackupRun.objects.create(
        kind="scheduled",
        status=BackupStatus.VERIFIED,
        generation="20261101T020000Z",
        verified_at=timezone.now() - dt.timedelta(hours=30),
        file_count=3,
        row_count=1200,
    )
    BackupRun.objects.create(
        kind="scheduled", status=BackupStatus.FAILED, message="備份失敗：磁碟已滿"
    )
    log_in(page, central_admin)

    panel = page.get_by_role("region", name="資料備份")
    assert "逾時" in panel.inner_text() and "已超過 26 小時" in panel.inner_text()

    with page.expect_navigation():
        panel.get_by_role("link", name="查看備份紀錄").click()
    assert page.get_by_role("heading", level=1).inner_text() == "備份紀錄"
    rows = page.get_by_role("row")
    assert rows.count() == 3  # header + two runs
    assert "磁碟已滿" in page.get_by_role("table").inner_text()
