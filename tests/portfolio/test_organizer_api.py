"""The organizer import API (R19): per-row results, idempotent, revocable keys, audited."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.utils import timezone

from licheng.audit.models import AuditEntry
from licheng.devtools import samples
from licheng.portfolio.domain.organizers import create_organizer, issue_key, revoke_key
from licheng.portfolio.enums import PerformanceSource
from licheng.portfolio.models import Performance

URL = "/api/v1/organizer/results"


@pytest.fixture
def key(central_admin):
    organizer = create_organizer(name="技能檢定中心", actor=central_admin)
    return issue_key(organizer, actor=central_admin)


def post(raw_key, rows):
    return Client().post(
        URL, json.dumps({"results": rows}), content_type="application/json", HTTP_X_API_KEY=raw_key
    )


def row(student, record_id="C-1", **kwargs):
    values = {
        "record_id": record_id,
        "national_id": student.national_id,
        "school_code": student.school.code,
        "category": "certificate",
        "title": "丙級電腦軟體應用",
        "activity_date": timezone.localdate().isoformat(),
        "details": {"issuer": "勞動部", "number": "113-0001"},
    }
    values.update(kwargs)
    return values


def test_api_imports_rows_with_per_row_results(key, student):
    """R19: a batch with per-row results; imported items are marked organizer-verified."""
    _key, raw = key
    pdf = base64.b64encode(samples.pdf_bytes()).decode()
    response = post(
        raw,
        [
            row(student, file={"name": "證書.pdf", "content_base64": pdf}),
            row(student, "C-2", national_id="A000000000"),
            row(student, "C-3", activity_date="昨天"),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["errors"]) == (1, 2)
    assert [r["status"] for r in body["results"]] == ["created", "error", "error"]
    assert "查無此" in body["results"][1]["message"] and "日期格式" in body["results"][2]["message"]
    performance = Performance.objects.get(pk=body["results"][0]["performance_id"])
    assert performance.source == PerformanceSource.ORGANIZER
    assert performance.files.get().kind == "pdf"


def test_api_is_idempotent_by_record_id(key, student):
    """R19: re-posting the same record id changes nothing."""
    _key, raw = key
    post(raw, [row(student)])
    again = post(raw, [row(student)]).json()
    assert again["results"][0]["status"] == "unchanged"
    assert Performance.objects.count() == 1


def test_api_refuses_bad_file_per_row(key, student):
    _key, raw = key
    exe = base64.b64encode(b"MZ" + bytes(100)).decode()
    body = post(raw, [row(student, file={"name": "證書.pdf", "content_base64": exe})]).json()
    assert body["results"][0]["status"] == "error" and "程式執行檔" in body["results"][0]["message"]
    assert Performance.objects.count() == 0


def test_api_without_or_with_revoked_key_is_refused(key, student, central_admin):
    organizer_key, raw = key
    assert post("", [row(student)]).status_code == 401
    assert post("lck_forged_key", [row(student)]).status_code == 401
    revoke_key(organizer_key, actor=central_admin)
    assert post(raw, [row(student)]).status_code == 401
    assert Performance.objects.count() == 0


def test_every_call_is_audited(key, student):
    _key, raw = key
    post(raw, [row(student)])
    entry = AuditEntry.objects.get(action="api.organizer.import")
    assert entry.after["created"] == 1 and entry.actor_label.startswith("organizer:")


def test_organizer_key_cannot_read_files(key, student):
    """An organizer key opens nothing but the import endpoint: no file, no page."""
    _key, raw = key
    body = post(
        raw,
        [
            row(
                student,
                file={
                    "name": "a.pdf",
                    "content_base64": base64.b64encode(samples.pdf_bytes()).decode(),
                },
            )
        ],
    ).json()
    stored = Performance.objects.get(pk=body["results"][0]["performance_id"]).files.get()
    response = Client().get(f"/files/{stored.pk}/", HTTP_X_API_KEY=raw)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_endpoint_is_in_the_openapi_document():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/organizer/results" in schema["paths"]


def test_r19_the_organizers_home_shows_its_keys_imports_and_calls(
    key, student, central_admin, login
):
    """R19: an organizer signing in sees its API keys (prefix, state — never the key), how many
    results it imported, its last import calls and where the API is described; nobody else sees
    that panel."""
    from licheng.accounts.enums import Role
    from licheng.portfolio.models import Organizer
    from tests.conftest import staff

    key_row, raw = key
    user = staff(Role.ORGANIZER, None, full_name="技能檢定中心窗口")
    Organizer.objects.filter(pk=key_row.organizer_id).update(user=user)
    assert post(raw, [row(student), row(student, record_id="C-2", title="乙級")]).status_code == 200
    revoked, _ = issue_key(key_row.organizer, label="舊系統", actor=central_admin)
    revoke_key(revoked, actor=central_admin)

    page = login(user).get("/").content.decode()
    assert "主辦機構：技能檢定中心" in page
    assert f"<code>{key_row.prefix}…</code>" in page and raw not in page
    assert "使用中" in page and "已於" in page and "停用" in page
    assert "已匯入 2 筆結果（1 位學生）" in page
    assert "新增 2、未變更 0、錯誤 0" in page
    assert 'href="/api/v1/docs"' in page
    assert "主辦機構：" not in login(central_admin).get("/").content.decode()
