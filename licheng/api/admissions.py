"""Admissions API (招生審查): for departments' own review systems, with the reviewer's session.

The same scope as the pages: a department's reviewers, during its review period, released
applications only; the ranking is the chair's. Every package read is audited (R35, R41).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Router, Schema
from ninja.security import django_auth

from licheng.admissions.domain import packages, review
from licheng.admissions.queries import (
    get_application_for_reviewer,
    get_department_for_reviewer,
    released_applications,
)

router = Router(tags=["admissions"], auth=django_auth)


class ApplicantOut(Schema):
    id: int
    label: str
    submitted_at: str
    snapshot_sha256: str


class RankOut(Schema):
    rank: int | None
    application: int
    label: str
    totals: list[Decimal]
    review_score: Decimal | None
    weighted: Decimal | None
    flagged: bool
    resolved: bool


@router.get(
    "/admissions/departments/{department_id}/applicants",
    response=list[ApplicantOut],
    summary="校系已送出的申請（審查委員）",
)
def department_applicants(request, department_id: int):
    department = get_department_for_reviewer(request.user, department_id)
    return [
        {
            "id": a.pk,
            "label": packages.applicant_label(a),
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else "",
            "snapshot_sha256": a.snapshot_sha256,
        }
        for a in released_applications(department)
    ]


@router.get(
    "/admissions/applications/{application_id}/package",
    response=dict[str, Any],
    summary="考生送出的審查資料（凍結版本，讀取會記錄）",
)
def application_package(request, application_id: int):
    application = get_application_for_reviewer(request.user, application_id)
    review.record_package_open(application, user=request.user, how="api")
    manifest = dict(application.snapshot or {})
    if application.department.hide_names:
        manifest["applicant"] = {"name": packages.applicant_label(application), "school": ""}
    for item in manifest.get("items", []):
        if item.get("file"):
            item["file"] = {k: v for k, v in item["file"].items() if k != "path"}
    return manifest


@router.get(
    "/admissions/departments/{department_id}/ranking",
    response=list[RankOut],
    summary="排序表與差分檢核（召集人）",
)
def department_ranking(request, department_id: int):
    department = get_department_for_reviewer(request.user, department_id, chair=True)
    return [
        {
            "rank": row.rank,
            "application": row.application.pk,
            "label": packages.applicant_label(row.application),
            "totals": row.totals,
            "review_score": row.review_score,
            "weighted": row.weighted,
            "flagged": row.flagged,
            "resolved": row.resolved,
        }
        for row in review.ranking(department)
    ]
