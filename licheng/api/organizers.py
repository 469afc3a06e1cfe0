"""Organizer imports (主辦機構匯入, R19): external organizers post results with their API key.

Each row is handled on its own (one bad row never stops the others) and is idempotent by the
organizer's record id: sent again unchanged it changes nothing, sent with other content it
corrects the item. The answer lists a result per row. Every call is audited.

The body is read by hand, not by a ninja body parameter: a ninja-validated body refuses the whole
batch (422, English) for one malformed row. ``BatchIn`` only documents the body; each row is
validated on its own against ``ResultIn``, and its problems come back in its own result.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader
from pydantic import BaseModel, Field, StringConstraints, ValidationError, field_validator
from pydantic_core import ErrorDetails

from licheng.audit.domain import record
from licheng.evidence.rules import EXTENSIONS, PROOF, megabytes
from licheng.lib.i18n import source_language
from licheng.lib.roc import parse_roc_date
from licheng.portfolio.categories import FIELDS, CategoryField
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.organizers import open_key, receive_organizer_result
from licheng.portfolio.enums import PerformanceCategory
from licheng.portfolio.models import OrganizerKey, Performance
from licheng.schools.models import School, Student

MAX_ROWS = 500
RECORD_ID_MAX = Performance._meta.get_field("organizer_record_id").max_length or 100
TITLE_MAX = Performance._meta.get_field("title").max_length


class OrganizerKeyAuth(APIKeyHeader):
    """``X-API-Key: lck_…`` issued by the central administrator.

    Refusals say why in zh-Hant: a revoked key that it was revoked and to ask for a new one; a
    missing or unknown key only that it is missing or not valid.
    """

    param_name = "X-API-Key"

    def authenticate(self, request, key: str | None) -> OrganizerKey:
        try:
            return open_key(key or "")
        except PortfolioError as exc:
            raise AuthenticationError(message=exc.message) from None


router = Router(tags=["organizers 主辦機構"], auth=OrganizerKeyAuth())


# What the documentation says is generated from the rules it describes (the categories' fields,
# the proof file rules, the row and size limits), so it cannot drift from them. It is built once,
# from the zh-Hant source strings, whatever language the request that first imports it has.


def _field_doc(field: CategoryField) -> str:
    notes = [str(field.label), "必填" if field.required else "選填"]
    if field.kind == "number":
        notes.append("數字")
    if field.choices:
        notes.append("須為 " + "／".join(field.choices))
    return f"`{field.name}`（{'，'.join(notes)}）"


def _details_doc() -> str:
    return "\n".join(
        f"- `{category.value}`（{category.label}）："
        + "、".join(_field_doc(f) for f in FIELDS.get(category, ()))
        for category in PerformanceCategory
    )


def _details_keys() -> str:
    return "；".join(
        f"{category.value}: "
        + ", ".join(f.name + ("*" if f.required else "") for f in FIELDS.get(category, ()))
        for category in PerformanceCategory
    )


def _file_doc() -> str:
    kinds: dict[int, list[str]] = {}
    for kind, limit in PROOF.limits.items():
        kinds.setdefault(limit, []).append(kind.value.upper())
    limits = "；".join(f"{'、'.join(k)} 每個 ≤ {megabytes(size)}" for size, k in kinds.items())
    extensions = ", ".join(f".{ext}" for ext, kind in EXTENSIONS.items() if kind in PROOF.limits)
    return f"{limits}（副檔名 {extensions}，須與檔案內容相符）"


with source_language():
    CATEGORY_CODES = "、".join(f"`{c.value}`（{c.label}）" for c in PerformanceCategory)
    DETAILS_DOC = _details_doc()
    DETAILS_KEYS = _details_keys()
    FILE_DOC = _file_doc()
BODY_LIMIT = megabytes(settings.ORGANIZER_MAX_BODY)
# base64 makes a file a third larger, and the whole body is held to ORGANIZER_MAX_BODY.
FILES_PER_REQUEST = settings.ORGANIZER_MAX_BODY * 3 // 4
BODY_NOTE = (
    f"；base64 約大三分之一，而整個請求最多 {BODY_LIMIT}，"
    f"所以一個請求所附的檔案合計須小於 {megabytes(FILES_PER_REQUEST)}，附檔案的列請分批送出"
    if PROOF.largest > FILES_PER_REQUEST
    else ""
)

DESCRIPTION = f"""匯入競賽、檢定等結果，成為學生的多元表現（R19）：標示為主辦機構匯入，不計入學生每學年的上傳件數上限，學生不能修改或刪除。

**請求**：`{{"results": [ … ]}}`，每批最多 {MAX_ROWS} 筆；整個請求（JSON，含 base64 檔案）最多 {BODY_LIMIT}。

**每一列**各自檢查、各自匯入：有問題的列在自己的結果中以 `error` 回覆，列出每個欄位的問題，其他列照常匯入。

**類別代碼**（`category`）：{CATEGORY_CODES}。

**類別欄位**（`details`，依類別而定，其他鍵會被忽略）：
{DETAILS_DOC}

**活動日期**（`activity_date`）：西元 `2025-03-01` 或民國 `114/03/01`；須在學生入學年度 7 月 1 日之後，且不晚於今天（R17）。

**證明文件**（`file`，選填，一列一個）：{FILE_DOC}。內容以標準 base64 放在 `content_base64`{BODY_NOTE}。

**以 `record_id` 判斷同一筆紀錄**（主辦機構自己的紀錄編號）：
- 第一次送出：建立項目，`created`。
- 重送相同內容：`unchanged`，不會重複建立。
- 重送不同內容（類別、名稱、日期、類別欄位、簡述、連結或另一個檔案）：更正原項目，`updated`，`message` 列出更正的欄位；每次更正都有紀錄。省略 `file` 表示保留原證明文件；換檔時舊檔案仍保留為舊版檔案。
- 同一 `record_id` 不能改給另一位學生；學校已提交至中央資料庫的項目不能再更正（兩者皆回 `error`）。

**整批拒絕**（不匯入任何一列）：400 請求不是 JSON 物件、沒有 `results` 陣列或超過 {MAX_ROWS} 筆；401 缺少、無效或已撤銷的金鑰；413 請求超過 {BODY_LIMIT}。"""


# The models' docstrings are their descriptions in the OpenAPI document, so they are written for
# the organizer's developer, in zh-Hant like the rest of it.
class FileIn(BaseModel):
    """證明文件（File）：檔名與 base64 內容。"""

    name: str = Field(description="檔名，含副檔名（例：證書.pdf）")
    content_base64: str = Field(description=f"檔案內容，標準 base64。{FILE_DOC}")


# Input models are plain pydantic models, not ninja Schemas: a ninja Schema reads attributes of
# whatever it is given, so a row that is a string would be told it lacks every field.
class ResultIn(BaseModel):
    """一筆結果（Result）：匯入後成為學生的一項多元表現。"""

    record_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=RECORD_ID_MAX)
    ] = Field(
        description="主辦機構自己的紀錄編號（文字）：重送同一編號不會重複建立；內容不同時更正原項目"
    )
    national_id: str = Field(description="學生的身分證統一編號")
    school_code: str = Field(description="學生就讀學校的學校代碼")
    category: PerformanceCategory = Field(description=f"多元表現類別代碼：{CATEGORY_CODES}")
    title: str = Field(description=f"名稱，{TITLE_MAX} 字以內（例：丙級電腦軟體應用）")
    activity_date: str = Field(
        description="活動日期：西元 YYYY-MM-DD 或民國 YYY/MM/DD",
        examples=["2025-03-01", "114/03/01"],
    )
    details: dict[str, Any] = Field(
        default_factory=dict,
        description=f"類別欄位，值為文字或數字，依類別而定（* 為必填）：{DETAILS_KEYS}",
        json_schema_extra={"additionalProperties": {"type": ["string", "number"]}},
    )
    description: str = Field("", description="簡述（選填）")
    link: str = Field("", description="外部連結（選填），http:// 或 https:// 開頭")
    file: FileIn | None = Field(None, description="證明文件（選填）；重送時省略表示保留原檔案")

    @field_validator("details")
    @classmethod
    def _scalar_values(cls, details: dict[str, Any]) -> dict[str, Any]:
        for name, value in details.items():
            if isinstance(value, dict | list):
                raise ValueError(_("「%(name)s」須為文字或數字") % {"name": name})
        return details


# Documentation only: the body is read by ``_read_rows`` and each row validated on its own.
class BatchIn(BaseModel):
    """一批結果（Batch）：每一列各自檢查、各自匯入。"""

    results: list[ResultIn] = Field(
        max_length=MAX_ROWS, description=f"要匯入的結果，每批最多 {MAX_ROWS} 筆"
    )


class RowOut(Schema):
    """一列的結果：created 已匯入、updated 已更正、unchanged 內容相同、error 未匯入。"""

    row: int = Field(description="此列在 results 中的位置，從 1 起算")
    record_id: str = Field(description="此列的 record_id（不是文字時為空字串或其數字）")
    status: Literal["created", "updated", "unchanged", "error"]
    performance_id: Annotated[int | None, Field(description="匯入或更正的多元表現編號")] = None
    message: str = Field("", description="結果說明；error 時列出每個欄位的問題")
    errors: dict[str, str] = Field(
        default_factory=dict,
        description="error 時：欄位 → 問題，欄位以請求中的名稱表示"
        "（例：details.issuer、file.name）；空字串表示整列",
    )


class BatchOut(Schema):
    """各狀態的列數，與每一列的結果（依送出的順序）。"""

    created: int
    updated: int
    unchanged: int
    errors: int
    results: list[RowOut]


class ErrorOut(Schema):
    """整批拒絕的原因。"""

    detail: str


def _request_schema() -> dict[str, Any]:
    """BatchIn's JSON schema with its definitions written in place: ninja adds the models of a
    body it parses to the document's components, and this body it does not parse."""
    schema = BatchIn.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                target = definitions[node["$ref"].rsplit("/", 1)[-1]]
                return resolve({**target, **{k: v for k, v in node.items() if k != "$ref"}})
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


def _read_rows(request: HttpRequest) -> list[Any]:
    """The body's rows, each as sent; an HttpError when the body is no batch at all."""
    # Read with this endpoint's own bound (ORGANIZER_MAX_BODY), not Django's form-sized one: the
    # proofs travel inside the JSON. Past the bound nothing more is read.
    limit = settings.ORGANIZER_MAX_BODY
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    body = b"" if declared > limit else request.read(limit + 1)
    if declared > limit or len(body) > limit:
        raise HttpError(
            413,
            _("請求超過 %(limit)s 上限；請分成較小的批次（檔案以 base64 傳送，約大三分之一）")
            % {"limit": megabytes(limit)},
        )
    try:
        data = json.loads(body)
    except ValueError:  # not JSON, or not UTF-8
        raise HttpError(400, _("請求內容不是有效的 JSON（UTF-8）")) from None
    rows = data.get("results") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise HttpError(
            400, _('請求內容須為 JSON 物件，以 results 陣列列出各筆結果：{"results": [ … ]}')
        )
    if len(rows) > MAX_ROWS:
        raise HttpError(
            400,
            _("每批最多 %(max)s 筆（收到 %(count)s 筆）") % {"max": MAX_ROWS, "count": len(rows)},
        )
    return rows


def _problem(error: ErrorDetails) -> str:
    """One pydantic error as a zh-Hant sentence, without the field's name."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return _("缺少此欄位")
    if kind == "string_type":
        return _("須為文字（JSON 字串）")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("須為 JSON 物件")
    if kind == "string_too_short":
        return _("不可空白")
    if kind == "string_too_long":
        return _("超過 %(max)s 字上限") % {"max": ctx.get("max_length")}
    if kind == "enum":
        return _("「%(value)s」不是多元表現類別代碼；可用的代碼：%(codes)s") % {
            "value": json.dumps(error["input"], ensure_ascii=False)[:50].strip('"'),
            "codes": "、".join(f"{c.value}（{c.label}）" for c in PerformanceCategory),
        }
    if kind == "value_error":
        return str(ctx.get("error", ""))
    return _("格式不正確")


def _schema_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        errors.setdefault(".".join(str(part) for part in error["loc"]), _problem(error))
    return errors


def _api_field(form_field: str) -> str:
    """A domain error's form field as the API names it: detail_issuer → details.issuer."""
    if form_field.startswith("detail_"):
        return "details." + form_field.removeprefix("detail_")
    return "file" if form_field == "files" else form_field


def _echoed_record_id(raw: Any) -> str:
    value = raw.get("record_id") if isinstance(raw, dict) else None
    if isinstance(value, str):
        return value.strip()[:RECORD_ID_MAX]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _refused(position: int, record_id: str, errors: dict[str, str]) -> RowOut:
    message = "；".join(
        f"{field}：{problem}" if field else problem for field, problem in errors.items()
    )
    return RowOut(row=position, record_id=record_id, status="error", message=message, errors=errors)


def _decode_file(file: FileIn | None) -> list[UploadedFile]:
    if file is None:
        return []
    if len(file.content_base64) > (PROOF.largest * 4) // 3 + 8:
        raise PortfolioError(
            _("檔案超過 %(limit)s 上限") % {"limit": megabytes(PROOF.largest)}, "file"
        )
    try:
        data = base64.b64decode(file.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise PortfolioError(_("檔案內容不是有效的 base64"), "file") from None
    return [SimpleUploadedFile(file.name[-255:] or "file", data)]


def _find_student(row: ResultIn) -> Student | dict[str, str]:
    """The row's student, or its error: an unknown school code, or no such student in it."""
    code = row.school_code.strip()
    student = Student.objects.filter(
        school__code=code, national_id=row.national_id.strip().upper()
    ).first()
    if student is not None:
        return student
    if not School.objects.filter(code=code).exists():
        return {"school_code": _("查無此學校代碼")}
    return {"national_id": _("查無此身分證統一編號的學生（學校代碼 %(code)s）") % {"code": code}}


def _import_row(key: OrganizerKey, position: int, raw: Any) -> RowOut:
    record_id = _echoed_record_id(raw)
    if not isinstance(raw, dict):
        return _refused(position, record_id, {"": _("此列須為 JSON 物件")})
    try:
        row = ResultIn.model_validate(raw)
    except ValidationError as exc:
        return _refused(position, record_id, _schema_errors(exc))
    student = _find_student(row)
    if isinstance(student, dict):
        return _refused(position, row.record_id, student)
    try:
        day = parse_roc_date(row.activity_date)
    except (ValueError, TypeError):
        return _refused(
            position,
            row.record_id,
            {"activity_date": _("活動日期格式錯誤（例：2025-03-01 或 114/03/01）")},
        )
    try:
        result = receive_organizer_result(
            key.organizer,
            record_id=row.record_id,
            student=student,
            category=row.category.value,
            title=row.title,
            activity_date=day,
            details=row.details,
            description=row.description,
            link=row.link.strip(),
            files=_decode_file(row.file),
            key_label=f"key:{key.prefix}",
        )
    except PortfolioError as exc:
        errors = {_api_field(field): message for field, message in exc.errors.items()}
        return _refused(position, row.record_id, errors)
    messages = {
        "created": _("已匯入"),
        "updated": _("已更正：%(fields)s") % {"fields": "、".join(result.changed)},
        "unchanged": _("內容與先前匯入的相同，未變更"),
    }
    return RowOut(
        row=position,
        record_id=row.record_id,
        status=result.status,
        performance_id=result.performance.pk,
        message=messages[result.status],
    )


@router.post(
    "/organizer/results",
    response={200: BatchOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut},
    summary="匯入競賽/檢定結果（多元表現）",
    description=DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_schema()}},
        },
        "responses": {
            200: {"description": "每一列的結果（有錯誤的列也在其中）"},
            400: {
                "description": f"整批拒絕：不是 JSON 物件、沒有 results 陣列或超過 {MAX_ROWS} 筆"
            },
            401: {"description": "缺少、無效或已撤銷的 API 金鑰"},
            413: {"description": f"請求超過 {BODY_LIMIT}"},
        },
    },
)
def import_results(request):
    key: OrganizerKey = request.auth
    try:
        batch = _read_rows(request)
    except HttpError as exc:
        # Every call is audited (R19), a refused one too: the organizer asks why nothing came in.
        record(
            "api.organizer.import",
            obj=key.organizer,
            actor_label=key.organizer.audit_label(f"key:{key.prefix}"),
            after={"refused": exc.status_code, "message": str(exc)},
        )
        raise
    rows = [_import_row(key, position, raw) for position, raw in enumerate(batch, start=1)]
    counts = {
        status: sum(1 for r in rows if r.status == status)
        for status in ("created", "updated", "unchanged", "error")
    }
    record(
        "api.organizer.import",
        obj=key.organizer,
        actor_label=key.organizer.audit_label(f"key:{key.prefix}"),
        after={**counts, "record_ids": [r.record_id for r in rows][:100]},
    )
    return {
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "errors": counts["error"],
        "results": rows,
    }
