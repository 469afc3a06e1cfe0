"""Annual selection (年度勾選), submissions to the central repository (中央資料庫), receipts.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role

from ..menu import MenuEntry
from ..views.central import (
    panels,
    portfolio,
    receipts,
    repository,
    selection,
    submissions,
    transfers,
)

urlpatterns: list[Any] = [
    path("me/selection/", selection.selection, name="selection"),
    path("me/portfolio.zip", portfolio.portfolio_zip, name="portfolio_zip"),
    path("me/receipts/", receipts.my_receipts, name="my_receipts"),
    path("me/receipts/<int:pk>/answer/", receipts.answer_receipt, name="answer_receipt"),
    path("school/submissions/", submissions.submissions, name="submissions"),
    path("school/submissions/<int:pk>/", submissions.job, name="submission_job"),
    path("school/submissions/roster.csv", submissions.roster, name="submission_roster"),
    path("school/transfers/", transfers.transfers, name="transfers"),
    path("school/transfers/start/", transfers.start_outgoing, name="transfer_start"),
    path(
        "school/transfers/<int:pk>/package.zip", transfers.incoming_package, name="transfer_package"
    ),
    path(
        "school/transfers/<int:pk>/register/", transfers.register_incoming, name="transfer_register"
    ),
    path("school/transfers/upload/", transfers.upload_incoming, name="transfer_upload"),
    path("school/transfers/jobs/<int:pk>/", transfers.incoming_job, name="transfer_job"),
    path("school/receipts/", receipts.school_reports, name="school_reports"),
    path("school/receipts/<int:pk>/resolve/", receipts.resolve, name="resolve_report"),
    path("central/", repository.status, name="central_status"),
    path("central/schools/<str:code>/", repository.school, name="central_school"),
    path("central/caps/", repository.caps, name="central_caps"),
    path("central/keys/", repository.keys, name="central_keys"),
    path("central/keys/<int:pk>/revoke/", repository.revoke_key, name="central_key_revoke"),
    path("central/students/", repository.students, name="central_students"),
    path("central/students/<int:pk>/", repository.student, name="central_student"),
]

_STUDENT = frozenset({Role.STUDENT})
_SCHOOL = frozenset({Role.SCHOOL_ADMIN})
_CENTRAL = frozenset({Role.CENTRAL_ADMIN})

MENU: list[Any] = [
    MenuEntry(_("年度勾選"), "web:selection", _STUDENT),
    MenuEntry(_("收訖明細"), "web:my_receipts", _STUDENT),
    MenuEntry(_("下載完整學習歷程"), "web:portfolio_zip", _STUDENT),
    MenuEntry(_("提交中央資料庫"), "web:submissions", _SCHOOL),
    MenuEntry(_("收訖問題回報"), "web:school_reports", _SCHOOL),
    MenuEntry(_("轉學"), "web:transfers", _SCHOOL),
    MenuEntry(_("各校提交狀態"), "web:central_status", _CENTRAL),
    MenuEntry(_("學生資料查詢"), "web:central_students", _CENTRAL),
    MenuEntry(_("全國勾選上限"), "web:central_caps", _CENTRAL),
    MenuEntry(_("學校上傳金鑰"), "web:central_keys", _CENTRAL),
]
PANELS: list[Any] = [panels.student_receipts_panel, panels.school_submissions_panel]
