"""The organizer import API (R19): per-row results, idempotent, revocable keys, audited."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from licheng.api.organizers import MAX_ROWS
from licheng.audit.models import AuditEntry
from licheng.devtools import samples
from licheng.evidence.models import StoredFile
from licheng.evidence.rules import PROOF, megabytes
from licheng.portfolio.categories import FIELDS
from licheng.portfolio.domain.organizers import create_organizer, issue_key, revoke_key
from licheng.portfolio.enums import KeptReason, PerformanceCategory, PerformanceSource
from licheng.portfolio.models import Performance, ReplacedFile

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
    assert again["results"][0]["message"] == "內容與先前匯入的相同，未變更"
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
    # The audit log names the organizer, not only its number (R35).
    imported = AuditEntry.objects.get(action="portfolio.performance.import")
    for logged in (entry, imported):
        assert _key.organizer.name in logged.actor_label and _key.prefix in logged.actor_label


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
    assert post_body(raw, "not json").status_code == 400
    revoked, _ = issue_key(key_row.organizer, label="舊系統", actor=central_admin)
    revoke_key(revoked, actor=central_admin)

    page = login(user).get("/").content.decode()
    assert "主辦機構：技能檢定中心" in page
    assert f"<code>{key_row.prefix}…</code>" in page and raw not in page
    assert "使用中" in page and "已於" in page and "停用" in page
    assert "已匯入 2 筆結果（1 位學生）" in page
    assert "新增 2、更正 0、未變更 0、錯誤 0" in page
    assert "整批拒絕（HTTP 400）：請求內容不是有效的 JSON" in page
    assert 'href="/api/v1/docs"' in page
    assert "主辦機構：" not in login(central_admin).get("/").content.decode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def post_body(raw_key, body: str):
    return Client().post(URL, body, content_type="application/json", HTTP_X_API_KEY=raw_key)


def test_r19_a_malformed_row_is_answered_alone_and_the_good_rows_are_imported(key, student):
    """R19: one bad row never stops the others. A row missing a field, with a number as its
    record id, that is no object, or with the wrong type of value gets its own zh-Hant error
    naming the field; the good rows are imported."""
    _key, raw = key
    no_date = row(student, "C-2")
    del no_date["activity_date"]
    response = post(
        raw,
        [
            row(student),
            no_date,
            row(student, 42),
            "C-4",
            row(student, "C-5", details={"issuer": ["勞動部"]}, file="證書.pdf"),
            row(student, "C-6", title=""),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["errors"]) == (1, 0, 0, 5)
    results = body["results"]
    assert [(r["row"], r["status"]) for r in results] == [
        (1, "created"),
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
    ]
    assert results[1]["record_id"] == "C-2"
    assert results[1]["errors"] == {"activity_date": "缺少此欄位"}
    assert results[1]["message"] == "activity_date：缺少此欄位"
    assert results[2]["record_id"] == "42"
    assert results[2]["errors"] == {"record_id": "須為文字（JSON 字串）"}
    assert results[3]["message"] == "此列須為 JSON 物件"
    assert results[4]["errors"] == {"details": "「issuer」須為文字或數字", "file": "須為 JSON 物件"}
    assert results[5]["errors"] == {"title": "請填寫名稱"}
    assert Performance.objects.get().organizer_record_id == "C-1"


def test_r19_a_row_names_every_field_the_domain_refuses(key, student):
    """R19, R15: the category's missing fields are named as the API calls them (details.<key>)."""
    _key, raw = key
    body = post(raw, [row(student, title="", details={"number": "1"})]).json()
    assert body["results"][0]["errors"] == {
        "title": "請填寫名稱",
        "details.issuer": "請填寫「發證單位」",
    }


def test_r19_an_unknown_category_lists_the_valid_codes(key, student):
    """R19, R15: an unknown category code is answered with every valid code and its name."""
    _key, raw = key
    message = post(raw, [row(student, category="license")]).json()["results"][0]["message"]
    assert message.startswith("category：「license」不是多元表現類別代碼；可用的代碼：")
    for category in PerformanceCategory:
        assert f"{category.value}（{category.label}）" in message
    assert "請選擇" not in message


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("", "請求內容不是有效的 JSON（UTF-8）"),
        ("{results", "請求內容不是有效的 JSON（UTF-8）"),
        ("[]", '請求內容須為 JSON 物件，以 results 陣列列出各筆結果：{"results": [ … ]}'),
        ('{"rows": []}', '請求內容須為 JSON 物件，以 results 陣列列出各筆結果：{"results": [ … ]}'),
        (
            '{"results": {}}',
            '請求內容須為 JSON 物件，以 results 陣列列出各筆結果：{"results": [ … ]}',
        ),
        (json.dumps({"results": [{}] * (MAX_ROWS + 1)}), "每批最多 500 筆（收到 501 筆）"),
    ],
)
def test_r19_a_body_that_is_no_batch_is_refused_whole(key, body, detail):
    """R19: only a body that is no batch at all (not JSON, no results list, over the row limit)
    refuses the whole request, with a zh-Hant reason; nothing is imported."""
    _key, raw = key
    response = post_body(raw, body)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert Performance.objects.count() == 0


def test_r19_a_body_over_the_request_size_limit_is_refused_with_413(key, student, settings):
    """R19: a body over the import's request limit is answered in JSON, naming the limit."""
    _key, raw = key
    settings.ORGANIZER_MAX_BODY = 1024 * 1024
    big = row(student, file={"name": "證書.pdf", "content_base64": "A" * (1024 * 1024)})
    response = post(raw, [big])
    assert response.status_code == 413
    assert response.json()["detail"].startswith("請求超過 1 MB 上限")
    # Every call is audited, a refused one too (R19).
    refused = AuditEntry.objects.get(action="api.organizer.import")
    assert refused.after["refused"] == 413 and "1 MB" in refused.after["message"]


def test_r19_a_proof_up_to_the_upload_limit_fits_in_one_request(key, student):
    """R19, R16: a certificate of almost 4 MB (over 5 MB once base64-encoded, twice Django's
    form-sized request limit) is imported in one request and kept with its SHA-256."""
    import hashlib

    _key, raw = key
    pdf = samples.pdf_bytes("大檔證書", pad_to=3_900_000)
    big = row(
        student,
        file={"name": "證書.pdf", "content_base64": base64.b64encode(pdf).decode()},
    )
    response = post(raw, [big])
    assert response.status_code == 200, response.content[:300]
    assert response.json()["results"][0]["status"] == "created"
    stored = Performance.objects.get().files.get()
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest() and stored.size == len(pdf)


def test_r19_a_resent_record_with_other_content_corrects_the_item(key, student):
    """R19: the organizer corrects a result by sending its record id again with the right title,
    award and date: the same item is updated (not a second one), audited before and after."""
    _key, raw = key
    today = timezone.localdate()
    competition = {"organizer": "教育部", "level": "全國", "award": "佳作", "team": "個人"}
    first = post(
        raw,
        [
            row(
                student,
                "S-1",
                category="competition",
                title="全國科展",
                details=competition,
                activity_date=(today - dt.timedelta(days=3)).isoformat(),
            )
        ],
    ).json()["results"][0]
    corrected = row(
        student,
        "S-1",
        category="competition",
        title="全國科學展覽會",
        details={**competition, "award": "第一名"},
        activity_date=(today - dt.timedelta(days=2)).isoformat(),
    )
    again = post(raw, [corrected]).json()
    result = again["results"][0]
    assert (again["updated"], result["status"]) == (1, "updated")
    assert result["performance_id"] == first["performance_id"]
    assert result["message"] == "已更正：title、activity_date、details"
    performance = Performance.objects.get()
    assert (performance.title, performance.details["award"], performance.activity_date) == (
        "全國科學展覽會",
        "第一名",
        today - dt.timedelta(days=2),
    )
    entry = AuditEntry.objects.get(action="portfolio.performance.import_correct")
    assert (entry.before["title"], entry.after["title"]) == ("全國科展", "全國科學展覽會")
    assert entry.before["details"]["award"] == "佳作" and entry.after["record_id"] == "S-1"
    assert entry.actor_label.startswith("organizer:")
    call = AuditEntry.objects.filter(action="api.organizer.import").latest("id")
    assert call.after["updated"] == 1

    same = post(raw, [corrected]).json()["results"][0]
    assert (same["status"], same["message"]) == ("unchanged", "內容與先前匯入的相同，未變更")
    assert AuditEntry.objects.filter(action="portfolio.performance.import_correct").count() == 1


def test_r19_a_correction_with_another_file_keeps_the_old_one(key, student):
    """R19: a new proof file replaces the item's file and the old one is kept (舊版檔案), like
    any replaced file; a resend without a file keeps the proof as it is."""
    _key, raw = key
    old_pdf = samples.pdf_bytes("v1")
    post(raw, [row(student, file={"name": "證書.pdf", "content_base64": b64(old_pdf)})])
    old = Performance.objects.get().files.get()

    without_file = post(raw, [row(student)]).json()["results"][0]
    assert without_file["status"] == "unchanged"
    same_file = post(raw, [row(student, file={"name": "另存.pdf", "content_base64": b64(old_pdf)})])
    assert same_file.json()["results"][0]["status"] == "unchanged"

    new_pdf = samples.pdf_bytes("v2")
    result = post(
        raw, [row(student, file={"name": "證書更正.pdf", "content_base64": b64(new_pdf)})]
    ).json()["results"][0]
    assert (result["status"], result["message"]) == ("updated", "已更正：file")
    performance = Performance.objects.get()
    new = performance.files.get()
    assert new.pk != old.pk and new.owner is None
    kept = ReplacedFile.objects.get()
    assert (kept.stored_file_id, kept.performance_id, kept.reason) == (
        old.pk,
        performance.pk,
        KeptReason.REPLACED,
    )
    assert StoredFile.objects.filter(pk=old.pk).exists()


def test_r19_a_correction_that_breaks_a_rule_is_refused_and_the_item_kept(key, student):
    """R19, R17: a correction is checked like an import; refused, the item stays as it was."""
    _key, raw = key
    post(raw, [row(student)])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    result = post(raw, [row(student, title="乙級", activity_date=tomorrow)]).json()["results"][0]
    assert result["errors"] == {"activity_date": "活動日期不可晚於今天"}
    assert Performance.objects.get().title == "丙級電腦軟體應用"


def test_r19_a_record_id_cannot_move_to_another_student(key, student, other_student):
    """R19: the same record id sent for another student is refused; the first student's item
    stays theirs."""
    _key, raw = key
    post(raw, [row(student)])
    result = post(raw, [row(other_student, title="乙級")]).json()["results"][0]
    assert result["status"] == "error"
    assert result["errors"]["record_id"].startswith("此紀錄編號已匯入給另一位學生")
    performance = Performance.objects.get()
    assert (performance.student, performance.title) == (student, "丙級電腦軟體應用")


def test_r19_an_item_the_school_sent_to_the_central_repository_is_not_corrected(key, student):
    """R19: once the school sent the item to the central repository, that copy is frozen: a
    correction is refused with the reason; an identical resend is still unchanged."""
    from licheng.selection.models import AnnualSelection, SelectedItem

    _key, raw = key
    post(raw, [row(student)])
    performance = Performance.objects.get()
    selection = AnnualSelection.objects.create(
        student=student, academic_year=performance.academic_year, submitted_at=timezone.now()
    )
    SelectedItem.objects.create(selection=selection, performance=performance)
    result = post(raw, [row(student, title="乙級")]).json()["results"][0]
    assert result["status"] == "error"
    assert result["errors"]["record_id"].startswith("此項目已由學校提交至中央資料庫，不能再更正")
    assert Performance.objects.get().title == "丙級電腦軟體應用"
    assert post(raw, [row(student)]).json()["results"][0]["status"] == "unchanged"


def test_r19_a_revoked_key_is_told_so_and_an_unknown_key_learns_nothing(key, central_admin):
    """R19: a revoked key gets its own 401 (revoked, ask the central administrator for a new
    one); a missing, forged or mistyped key gets the same answer whatever keys exist."""
    organizer_key, raw = key
    revoke_key(organizer_key, actor=central_admin)
    day = timezone.localdate().isoformat()
    revoked = post(raw, [])
    assert revoked.status_code == 401
    assert revoked.json() == {
        "detail": f"此 API 金鑰已於 {day} 撤銷，不能再使用；請向中央管理者申請新的金鑰"
    }
    unknown = {"detail": "API 金鑰無效：請確認 X-API-Key 標頭是中央管理者核發的完整金鑰"}
    for forged in ("lck_forged_key", raw + "x", "Bearer " + raw):
        response = post(forged, [])
        assert (response.status_code, response.json()) == (401, unknown)
    missing = Client().post(URL, "{}", content_type="application/json")
    assert missing.status_code == 401 and missing.json()["detail"].startswith("缺少 API 金鑰")


def test_r19_the_openapi_document_says_what_to_send():
    """R19: the OpenAPI document describes the body from the rules themselves: the category
    codes as an enum, each category's details keys, the row limit, the proof file kinds and
    limits, idempotency by record id, and the real responses (no 422: rows never fail the
    batch)."""
    operation = Client().get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    results = body["properties"]["results"]
    assert body["required"] == ["results"] and results["maxItems"] == MAX_ROWS
    item = results["items"]["properties"]
    assert item["category"]["enum"] == list(PerformanceCategory.values)
    assert item["activity_date"]["examples"] == ["2025-03-01", "114/03/01"]
    assert item["record_id"]["maxLength"] == 100
    description = operation["description"]
    for category, fields in FIELDS.items():
        line = next(x for x in description.splitlines() if x.startswith(f"- `{category}`"))
        assert all(f"`{field.name}`（{field.label}" in line for field in fields), category
    for kind, limit in PROOF.limits.items():
        assert kind.value.upper() in description and megabytes(limit) in description
    assert f"每批最多 {MAX_ROWS} 筆" in description and "record_id" in description
    assert "`updated`" in description and "`unchanged`" in description
    assert set(operation["responses"]) == {"200", "400", "401", "413"}
    for status in ("400", "401", "413"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    row_out = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]["RowOut"]
    assert row_out["properties"]["status"]["enum"] == ["created", "updated", "unchanged", "error"]
