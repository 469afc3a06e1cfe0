"""The central repository's intake (中央資料庫收件 API): schools send exchange packages here.

Each school authenticates with its own key (``Authorization: Bearer lc_…``); a key can submit only
for its own school. The package format is docs/exchange-format.md.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from licheng.central.domain.credentials import school_for_key
from licheng.central.domain.intake import IntakeRefused, ingest_package
from licheng.central.models import Submission
from licheng.lib.exchange import PackageError


class SchoolKey(HttpBearer):
    """A school's intake key; ``request.auth`` becomes the school."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return school_for_key(token)


router = Router(tags=["central"], auth=SchoolKey())


class ReceiptOut(Schema):
    package: str
    school: str
    package_kind: str
    academic_year: int
    semester: int | None
    received_at: str
    students: list[dict[str, Any]]


class ErrorOut(Schema):
    detail: str


@router.post(
    "/central/packages",
    response={200: ReceiptOut, 400: ErrorOut, 403: ErrorOut},
    summary="提交交換封包（學校 → 中央資料庫）",
    description=(
        "上傳一個交換封包（zip：manifest.json 與 files/<sha256>）。驗證清單格式與每個檔案的"
        "大小與 SHA-256，全部通過才儲存，回傳收訖明細。重送相同封包不會改變任何資料（R25）。"
    ),
)
def submit_package(request, package: UploadedFile = File(...)):  # noqa: B008
    try:
        submission = ingest_package(package.file, school=request.auth)
    except IntakeRefused as exc:
        return Status(403, {"detail": str(exc)})
    except PackageError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, submission.receipt)


@router.get(
    "/central/packages/{package_id}",
    response={200: ReceiptOut, 404: ErrorOut},
    summary="查詢收訖明細",
)
def get_receipt(request, package_id: str):
    submission = Submission.objects.filter(school=request.auth, package_sha256=package_id).first()
    if submission is None:
        raise HttpError(404, "查無此封包")
    return Status(200, submission.receipt)
