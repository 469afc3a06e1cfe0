"""Transfers in from the central repository (轉入, R38): the receiving school takes the record.

The central repository already holds the transfer record and its files (checked when the sending
school's package arrived). The receiving school's import reads those same bytes from the
content-addressed store and checks each against the manifest's SHA-256 again on the way in,
then ``selection.domain.transfer_in.receive_transfer`` does the rest. The central record itself
is only read: it stays whole.

The school's page queues the receipt as a background job (``queue_central_transfer``); the job
lives with the school platform's (``selection.TransferInJob``), whose app sits below this one,
so the task that opens a central record is here.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import IO, Any

from django.utils.translation import gettext as _

from licheng.schools.models import School
from licheng.selection.domain.transfer_in import (
    TransferError,
    TransferReport,
    TransferSource,
    receive_transfer,
)
from licheng.selection.domain.transfer_jobs import queue_transfer_in, run_transfer_in
from licheng.selection.enums import ReceiveState
from licheng.selection.models import TransferInJob

from ..models import Blob, CentralRecord
from .blobs import open_blob


def central_source(record: CentralRecord) -> TransferSource:
    """The student of a central transfer record as a transfer source, its files read from the
    content-addressed store; a sealed student's record is no longer given out (R26)."""
    if record.student.is_sealed:
        raise TransferError(_("這位學生的中央資料已封存，不能再取用"))  # R26

    def open_file(sha256: str) -> IO[bytes]:
        blob = Blob.objects.filter(sha256=sha256).first()
        if blob is None:
            raise FileNotFoundError(sha256)  # reported as a file that cannot be read
        return open_blob(blob)

    return TransferSource(
        entry=record.entry,
        from_code=record.school.code,
        from_name=record.school.name,
        to_code=record.student.school.code,
        open_file=open_file,
        origin=f"central record {record.pk}",
    )


def receive_central_transfer(
    record: CentralRecord, *, school: School, student_number: str = "", actor: Any
) -> TransferReport:
    """Receive the student of ``record`` at ``school`` (轉入) from the central repository."""
    source = central_source(record)
    return receive_transfer(source, school=school, student_number=student_number, actor=actor)


def queue_central_transfer(
    record: CentralRecord, *, school: School, student_number: str = "", actor: Any
) -> TransferInJob:
    """Queue receiving the student of ``record`` at ``school`` (轉入並帶入資料) as a background
    job; a second click while it waits or runs gets the same job."""
    if record.student.is_sealed:
        raise TransferError(_("這位學生的中央資料已封存，不能再取用"))  # R26: say so at once
    running = (
        TransferInJob.objects.filter(school=school, central_record_id=record.pk)
        .exclude(state__in=[ReceiveState.DONE, ReceiveState.FAILED])
        .first()
    )
    if running is not None:
        return running
    job = TransferInJob(
        school=school,
        central_record_id=record.pk,
        label=record.student.name,
        student_number=student_number.strip(),
    )
    from ..tasks import receive_central_transfer_task

    return queue_transfer_in(job, actor=actor, task=receive_central_transfer_task)


def run_central_job(job: TransferInJob) -> TransferInJob:
    """The background part of ``queue_central_transfer``."""

    def open_source(stack: ExitStack) -> TransferSource:
        record = (
            CentralRecord.objects.select_related("student__school", "school")
            .filter(pk=job.central_record_id or 0)
            .first()
        )
        if record is None:
            raise TransferError(_("中央資料庫查無這筆轉學資料"))
        return central_source(record)

    return run_transfer_in(job, open_source)
