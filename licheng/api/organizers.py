"""Organizer imports (主辦機構匯入, R19): external organizers post results with their API key.

Each row is handled on its own (one bad row never stops the others) and is idempotent by the
organizer's record id; the answer lists a result per row. Every call is audited.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from ninja import Router, Schema
from ninja.security import APIKeyHeader

from licheng.audit.domain import record
from licheng.evidence.rules import MEDIA_MAX_BYTES
from licheng.lib.roc import parse_roc_date
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.organizers import authenticate_key
from licheng.portfolio.domain.performances import import_organizer_result
from licheng.portfolio.models import OrganizerKey
from licheng.schools.models import Student

MAX_ROWS = 500


class OrganizerKeyAuth(APIKeyHeader):
    """``X-API-Key: lck_…`` issued by the central administrator; revoked keys are refused."""

    param_name = "X-API-Key"

    def authenticate(self, request, key: str | None) -> OrganizerKey | None:
        return authenticate_key(key or "")


router = Router(tags=["organizers 主辦機構"], auth=OrganizerKeyAuth())


class FileIn(Schema):
    name: str
    content_base64: str


class ResultIn(Schema):
    record_id: str
    national_id: str
    school_code: str
    category: str
    title: str
    activity_date: str  # 2025-03-01 or ROC 114/03/01
    details: dict[str, Any] = {}
    description: str = ""
    link: str = ""
    file: FileIn | None = None


class BatchIn(Schema):
    results: list[ResultIn]


class RowOut(Schema):
    record_id: str
    status: str  # created | unchanged | error
    performance_id: int | None = None
    message: str = ""


class BatchOut(Schema):
    created: int
    unchanged: int
    errors: int
    results: list[RowOut]


class ErrorOut(Schema):
    detail: str


def _decode_file(file: FileIn | None) -> list[SimpleUploadedFile]:
    if file is None:
        return []
    if len(file.content_base64) > (MEDIA_MAX_BYTES * 4) // 3 + 8:
        raise PortfolioError("檔案超過 10 MB 上限", "file")
    try:
        data = base64.b64decode(file.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise PortfolioError("檔案內容不是有效的 base64", "file") from None
    return [SimpleUploadedFile(file.name[-255:] or "file", data)]


def _import_row(key: OrganizerKey, row: ResultIn) -> RowOut:
    student = Student.objects.filter(
        school__code=row.school_code.strip(), national_id=row.national_id.strip().upper()
    ).first()
    if student is None:
        return RowOut(
            record_id=row.record_id, status="error", message="查無此學校代碼與身分證統一編號的學生"
        )
    try:
        day = parse_roc_date(row.activity_date)
    except (ValueError, TypeError):
        return RowOut(
            record_id=row.record_id,
            status="error",
            message="活動日期格式錯誤（例：2025-03-01 或 114/03/01）",
        )
    try:
        performance, created = import_organizer_result(
            key.organizer,
            record_id=row.record_id.strip(),
            student=student,
            category=row.category,
            title=row.title,
            activity_date=day,
            details=row.details,
            description=row.description,
            link=row.link.strip(),
            files=_decode_file(row.file),
            key_label=f"key:{key.prefix}",
        )
    except PortfolioError as exc:
        return RowOut(record_id=row.record_id, status="error", message=exc.message)
    return RowOut(
        record_id=row.record_id,
        status="created" if created else "unchanged",
        performance_id=performance.pk,
    )


@router.post(
    "/organizer/results",
    response={200: BatchOut, 400: ErrorOut},
    summary="匯入競賽/檢定結果（多元表現）",
    description="每列以主辦機構自己的紀錄編號（record_id）判斷是否重複；重送同一編號不會重複建立。"
    "匯入的項目標示為主辦機構認證，不計入學生的上傳件數上限。",
)
def import_results(request, batch: BatchIn):
    key: OrganizerKey = request.auth
    if len(batch.results) > MAX_ROWS:
        return 400, {"detail": f"每批最多 {MAX_ROWS} 筆（收到 {len(batch.results)} 筆）"}
    rows = [_import_row(key, row) for row in batch.results]
    counts = {
        status: sum(1 for r in rows if r.status == status)
        for status in ("created", "unchanged", "error")
    }
    record(
        "api.organizer.import",
        obj=key.organizer,
        actor_label=f"organizer:{key.organizer_id} key:{key.prefix}",
        after={**counts, "record_ids": [r.record_id for r in rows][:100]},
    )
    return {
        "created": counts["created"],
        "unchanged": counts["unchanged"],
        "errors": counts["error"],
        "results": rows,
    }
