"""The admissions API: the reviewer's scope, hidden names, audited package reads."""

from __future__ import annotations

import pytest

from licheng.audit.models import AuditEntry

from .fixtures import department, score, seat, submitted_application

pytestmark = pytest.mark.django_db


def test_package_api_hides_names_and_storage_paths_and_is_audited(login, student):
    dept = department(code="API1", hide_names=True)
    app = submitted_application(student, dept)
    member = seat(dept)

    data = login(member).get(f"/api/v1/admissions/applications/{app.pk}/package").json()

    assert data["applicant"] == {"name": f"考生 {app.pk:06d}", "school": ""}
    assert all("path" not in (i["file"] or {}) for i in data["items"])
    assert [i["certified"] for i in data["items"]] == [True, True, False]
    assert AuditEntry.objects.filter(action="admissions.package_opened", actor=member).exists()


def test_ranking_api_is_for_the_chair(login, student):
    dept = department(code="API2")
    app = submitted_application(student, dept)
    chair, member = seat(dept, chair=True), seat(dept)
    score(app, chair, (5, 5))

    assert login(member).get(f"/api/v1/admissions/departments/{dept.pk}/ranking").status_code == 404
    rows = login(chair).get(f"/api/v1/admissions/departments/{dept.pk}/ranking").json()
    assert [(r["rank"], r["review_score"], r["label"]) for r in rows] == [(1, "100.00", "陳小明")]
