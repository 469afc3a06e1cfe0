"""The school's submission to the central repository (學校提交中央資料庫): pre-check, then a
background job builds the package and sends it, showing its progress; the receipt comes back.

R24: once the year's annual package is received, the students' selections of that year freeze.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record
from licheng.lib.exchange import PackageError, write_package
from licheng.lib.roc import Term
from licheng.schools.models import School

from ..enums import JobState, SubmissionKind
from ..models import SubmissionJob
from .annual import annual_manifest, freeze_selections, precheck_annual
from .precheck import Problem, SubmissionError, blocking_count
from .semester import precheck_semester, semester_manifest
from .transfer import mark_transferred, transfer_manifest
from .transport import SendError, send_package

BUILD_SHARE = 60  # % of the progress bar spent building; the rest is sending and the receipt


def precheck(
    school: School, kind: str, academic_year: int, semester: int
) -> dict[Any, list[Problem]]:
    """The pre-check (預檢) of what the school is about to submit, per student."""
    if kind == SubmissionKind.SEMESTER:
        return precheck_semester(school, Term(academic_year, semester))
    return precheck_annual(school, academic_year)


@transaction.atomic
def start_submission(
    school: School, *, kind: str, academic_year: int, semester: int = 0, actor: Any
) -> SubmissionJob:
    """Queue a submission (提交) after its pre-check passes; the job runs in the background."""
    if kind == SubmissionKind.SEMESTER and semester not in (1, 2):
        raise SubmissionError("學期資料須指定第 1 或第 2 學期")
    if kind == SubmissionKind.ANNUAL:
        semester = 0
    blocking = blocking_count(precheck(school, kind, academic_year, semester))
    if blocking:
        raise SubmissionError(f"預檢發現 {blocking} 個必須先處理的問題，請修正後再提交")
    busy = SubmissionJob.objects.filter(
        school=school,
        kind=kind,
        academic_year=academic_year,
        semester=semester,
        state__in=[JobState.QUEUED, JobState.BUILDING, JobState.SENDING],
    )
    if busy.exists():
        raise SubmissionError("同一期別已有提交作業進行中，請等它完成")
    job = SubmissionJob.objects.create(
        school=school,
        kind=kind,
        academic_year=academic_year,
        semester=semester,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record("selection.submission.start", actor=actor, obj=job, school=school)
    from ..tasks import run_submission_task

    transaction.on_commit(lambda: run_submission_task.enqueue(job.pk))
    return job


def _set(job: SubmissionJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])  # the row moves: the job is alive


def run_submission(job: SubmissionJob) -> SubmissionJob:
    """Build the package and send it (the background job). Each step is saved as it happens, so
    the page polling the job shows the progress; nothing else is written until the receipt."""
    _set(job, state=JobState.BUILDING, progress=1)
    last = [0]

    def progress(done: int, total: int) -> None:
        percent = 1 + (BUILD_SHARE - 1) * done // max(total, 1)
        if percent >= last[0] + 5 or done == total:
            last[0] = percent
            _set(job, progress=percent)

    with tempfile.TemporaryDirectory(prefix="licheng-package-") as work:
        path = Path(work) / "package.zip"
        try:
            manifest, sources = _build(job, progress)
            write_package(manifest, sources, path)
            _set(job, state=JobState.SENDING, progress=BUILD_SHARE + 10)
            receipt = send_package(path, job.school)
        except (PackageError, SendError, SubmissionError, OSError) as exc:
            _set(job, state=JobState.FAILED, message=str(exc), finished_at=timezone.now())
            record(
                "selection.submission.fail", obj=job, school=job.school, after={"error": str(exc)}
            )
            return job
    return _received(job, receipt)


def _build(job: SubmissionJob, progress) -> tuple[dict[str, Any], dict[str, Any]]:
    if job.kind == SubmissionKind.SEMESTER:
        term = Term(job.academic_year, job.semester)
        return semester_manifest(job.school, term, progress=progress), {}
    if job.kind == SubmissionKind.TRANSFER:
        if job.student is None:
            raise SubmissionError("轉學作業缺少學生")
        return transfer_manifest(job.student, job.transfer_to, progress=progress)
    return annual_manifest(job.school, job.academic_year, progress=progress)


@transaction.atomic
def _received(job: SubmissionJob, receipt: dict[str, Any]) -> SubmissionJob:
    """The receipt is in: keep it on the job and, for the annual package, freeze the year (R24)."""
    _set(
        job,
        state=JobState.DONE,
        progress=100,
        receipt=receipt,
        package_sha256=receipt.get("package", ""),
        finished_at=timezone.now(),
    )
    if job.kind == SubmissionKind.TRANSFER and job.student is not None:
        mark_transferred(job.student)
    if job.kind == SubmissionKind.ANNUAL:
        freeze_selections(
            job.school, job.academic_year, [s["national_id"] for s in receipt["students"]]
        )
    record(
        "selection.submission.received",
        obj=job,
        school=job.school,
        after={"package": job.package_sha256, "students": len(receipt.get("students", []))},
    )
    return job
