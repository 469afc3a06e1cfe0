"""Transfers in (轉入, R38) as background jobs, so that a student with many large files does not
hold the school administrator's request, and a timeout cannot lose the administrator's action.

The page queues a ``TransferInJob`` (from the central repository's record, or from an uploaded
package kept with its SHA-256 until the job has read it); the task reads every file the receipt
will copy once, checked against the manifest, showing its progress, then
``transfer_in.receive_transfer`` does the receiving in one transaction, all or nothing, from
those checked copies. The job keeps what came (or why nothing did) for the transfers page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.lib.exchange import CHUNK, PackageError, read_package
from licheng.schools.models import School

from ..enums import ReceiveState
from ..models import TransferInJob
from .transfer_in import (
    TransferError,
    TransferReport,
    TransferSource,
    check_source,
    files_to_copy,
    package_source,
    receive_transfer,
)
from .transfer_items import read_checked

CHECK_SHARE = 90  # % of the progress bar spent reading and checking files; the rest is writing
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def queue_transfer_in(job: TransferInJob, *, actor: Any, task: Any) -> TransferInJob:
    """Save ``job`` (its source set by the caller) and queue ``task`` to receive it once the
    job is committed (轉入作業); audited. ``task`` is the django-tasks task of its source."""
    job.created_by = _user(actor)
    job.save()
    record(
        "selection.transfer.queue",
        actor=actor,
        obj=job,
        school=job.school,
        after={"label": job.label, "central_record": job.central_record_id},
    )
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def queue_transfer_package(
    upload: UploadedFile, *, school: School, student_number: str = "", actor: Any
) -> TransferInJob:
    """Keep an uploaded transfer package (匯入轉學封包) with its SHA-256 and queue its receipt."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = TransferInJob(
        school=school,
        label=(upload.name or "transfer.zip").rsplit("/", 1)[-1][-200:],
        package_sha256=digest.hexdigest(),
        student_number=student_number.strip(),
    )
    # The stored name is ours, never the uploader's: school and hash, nothing guessable from it.
    job.package.save(f"{school.code}-{digest.hexdigest()[:16]}.zip", upload, save=False)
    from ..tasks import receive_transfer_package_task

    return queue_transfer_in(job, actor=actor, task=receive_transfer_package_task)


def _save(job: TransferInJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])  # the row moves: the job is alive


def run_transfer_in(
    job: TransferInJob, open_source: Callable[[ExitStack], TransferSource]
) -> TransferInJob:
    """The background part: open the job's source, check and read its files, receive. Each step
    is saved as it happens, outside the receipt's transaction, so the polling page shows it."""
    if job.finished:
        return job  # the task delivered twice: the first run's result stands
    try:
        with ExitStack() as stack:
            _save(job, state=ReceiveState.CHECKING, progress=1)
            source = open_source(stack)
            check_source(source, school=job.school)
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="licheng-in-")))
            local = _fetch(source, work, job)
            _save(job, state=ReceiveState.RECEIVING, progress=CHECK_SHARE)
            report = receive_transfer(
                local, school=job.school, student_number=job.student_number, actor=job.created_by
            )
    except (PackageError, OSError) as exc:
        return _failed(job, str(exc))
    except Exception:
        _failed(job, _("轉入時發生錯誤，沒有匯入任何資料；請稍後再試或聯絡系統管理者"))
        raise
    return _done(job, report)


def _fetch(source: TransferSource, work: Path, job: TransferInJob) -> TransferSource:
    """Each file the receipt will copy, read once into ``work`` and checked (size, SHA-256),
    the job's progress moving with the bytes; the source then reads these checked copies.
    Read here rather than inside the receipt's transaction: progress saved there would show
    only when it ends, and the school's lock (one transfer in at a time) is held shorter."""
    entries = files_to_copy(source, school=job.school)
    total, done, shown = sum(e["size"] for e in entries) or 1, 0, 1
    for entry in entries:
        if not SHA256.match(entry["sha256"]):  # it names a file in ``work``: hex digits only
            raise TransferError(_("檔案 %(name)s 無法讀取") % {"name": entry["name"]})
        with (work / entry["sha256"]).open("wb") as out:
            read_checked(source.open_file, entry, out)
        done += entry["size"]
        percent = 1 + (CHECK_SHARE - 1) * done // total
        if percent >= shown + 5:
            shown = percent
            _save(job, progress=percent)

    def open_file(sha256: str) -> IO[bytes]:
        checked = work / sha256 if SHA256.match(sha256) else None
        return checked.open("rb") if checked and checked.exists() else source.open_file(sha256)

    return dataclasses.replace(source, open_file=open_file)


def _drop_package(job: TransferInJob) -> None:
    """The uploaded package has been read: what it held is kept as rows and evidence files."""
    if job.package:
        default_storage.delete(str(job.package.name))
        _save(job, package="")


def _done(job: TransferInJob, report: TransferReport) -> TransferInJob:
    _save(
        job,
        state=ReceiveState.DONE,
        progress=100,
        student=report.student,
        result={
            "name": report.student.name,
            "unchanged": report.unchanged,
            "registered": report.registered,
            "courses": report.courses,
            "outcomes": report.outcomes,
            "performances": report.performances,
            "files": report.files,
            "records": report.school_records,
        },
        finished_at=timezone.now(),
    )
    _drop_package(job)
    return job


def _failed(job: TransferInJob, reason: str) -> TransferInJob:
    _save(job, state=ReceiveState.FAILED, message=reason, finished_at=timezone.now())
    record("selection.transfer.refuse", obj=job, school=job.school, after={"error": reason})
    _drop_package(job)
    return job


def run_package_job(job: TransferInJob) -> TransferInJob:
    """Receive the package the job keeps: its bytes checked against the SHA-256 taken at upload,
    then the package checked as the central intake checks packages (schema, members, sizes)."""

    def open_source(stack: ExitStack) -> TransferSource:
        spool = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 — the stack closes it
        digest = hashlib.sha256()
        with default_storage.open(str(job.package.name), "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                spool.write(chunk)
        if digest.hexdigest() != job.package_sha256:
            raise TransferError(_("轉學封包在等待匯入時已變動，請重新上傳"))
        spool.seek(0)
        package = read_package(spool, hash_files=False)
        stack.callback(package.close)
        return package_source(package)

    return run_transfer_in(job, open_source)
