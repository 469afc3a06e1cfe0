"""Running an import batch (匯入批次): check the whole file, report, write only when confirmed.

``start_import`` stores the file and queues the check; ``confirm_import`` queues the write. Both
run as background tasks (``curriculum.tasks``; in-process in the embedded default), so a large
file does not hold a web request, and the batch's ``done_rows`` shows progress.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.schools.models import School

from ..enums import ImportKind, ImportState
from ..imports import IMPORTERS
from ..imports.base import ImportConflict
from ..imports.reading import FileProblem, read_table
from ..models import ImportBatch

log = logging.getLogger(__name__)
MAX_IMPORT_BYTES = 50 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")


class ImportRefused(ValueError):
    """The file cannot be accepted at all (kind, size, type)."""


def start_import(school: School, *, actor: Any, kind: str, upload: UploadedFile) -> ImportBatch:
    """Keep the uploaded file (with its SHA-256) and queue the check of every row."""
    if kind not in ImportKind.values:
        raise ImportRefused("請選擇資料種類")
    name = (upload.name or "").rsplit("/", 1)[-1][-200:]
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ImportRefused("只接受 CSV 或 XLSX 檔")
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise ImportRefused("檔案超過 50 MB，請分成數個檔案匯入")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(
            school=school,
            kind=kind,
            file_name=name,
            file_sha256=digest.hexdigest(),
            created_by=actor,
        )
        batch.file.save(f"{school.code}-{digest.hexdigest()[:16]}-{name}", upload, save=False)
        batch.save()
        record(
            "curriculum.import.upload",
            actor=actor,
            obj=batch,
            school=school,
            after={"kind": kind, "file": name, "sha256": batch.file_sha256},
        )
    from ..tasks import check_import

    transaction.on_commit(lambda: check_import.enqueue(batch.pk))
    return batch


def _read(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as f:
        return f.read()


def check_batch(batch: ImportBatch) -> ImportBatch:
    """Check every row; nothing is written but the batch's report."""
    importer = IMPORTERS[batch.kind](batch.school, batch.created_by)

    def progress(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(done_rows=rows)

    data = _read(batch)
    if not data.startswith(b"PK"):
        # A line count is a good enough estimate of the rows for the progress bar.
        batch.total_rows = max(data.count(b"\n") - 1, 1)
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=batch.total_rows)
    try:
        result = importer.run(read_table(data, batch.file_name), progress)
    except FileProblem as exc:
        batch.errors = [{"line": 0, "column": "", "reason": str(exc)}]
        batch.error_count = 1
        batch.state = ImportState.INVALID
    else:
        batch.total_rows = batch.done_rows = result.rows
        batch.errors = [e.as_dict() for e in result.errors]
        batch.error_count = result.error_count
        batch.summary = {"valid": len(importer.valid)}
        if result.rows == 0:
            batch.errors = [{"line": 0, "column": "", "reason": "檔案只有標題列，沒有資料"}]
            batch.error_count = 1
        batch.state = ImportState.READY if importer.valid else ImportState.INVALID
    batch.save()
    return batch


def confirm_import(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    """The administrator confirms: queue the write of every valid row."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.READY:
            raise ImportRefused("此批次目前無法匯入（可能已匯入或檔案有錯誤）")
        locked.state = ImportState.APPLYING
        locked.done_rows = 0
        locked.save(update_fields=["state", "done_rows"])
        record("curriculum.import.confirm", actor=actor, obj=locked, school=locked.school)
    from ..tasks import apply_import

    transaction.on_commit(lambda: apply_import.enqueue(batch.pk, actor.pk))
    return locked


def apply_batch(batch: ImportBatch, *, actor: Any) -> ImportBatch:
    """Check again (the data may have changed since) and write every valid row in one
    transaction: either all of them are written or, on any failure, none."""
    importer = IMPORTERS[batch.kind](batch.school, actor)
    try:
        with transaction.atomic():
            importer.run(read_table(_read(batch), batch.file_name))
            summary = importer.apply()
    except (FileProblem, ImportConflict) as exc:
        batch.state = ImportState.FAILED
        batch.summary = {**batch.summary, "failure": str(exc)}
    except IntegrityError:
        batch.state = ImportState.FAILED
        batch.summary = {
            **batch.summary,
            "failure": "資料在檢查後已被其他人修改，與現有資料衝突；請重新上傳檔案檢查",
        }
    except Exception:
        # The transaction rolled back, so nothing was written; say so instead of hanging.
        log.exception("import batch %s failed", batch.pk)
        batch.state = ImportState.FAILED
        batch.summary = {
            **batch.summary,
            "failure": "匯入時發生系統錯誤，沒有寫入任何資料；請通知系統管理者",
        }
    else:
        batch.state = ImportState.APPLIED
        batch.summary = {**batch.summary, **summary}
        batch.done_rows = batch.total_rows
    batch.finished_at = timezone.now()
    batch.save()
    return batch
