"""Background jobs that stopped moving (中斷的背景作業).

A worker that dies in the middle of a submission or a transfer in leaves its job "building" or
"checking" for ever, and the page polling it spins. Every step a job takes saves its row, so a
running job whose row has not moved for ``STALLED_AFTER`` has lost its worker; the scheduler
(``manage.py ops_scheduler``) queues it again. Running a job twice is safe: the same package
sent again changes nothing at the central repository (R25), and a transfer in is one
all-or-nothing, idempotent transaction (R38). After ``MAX_RESTARTS`` the job is given up with a
reason the school can act on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record

from ..enums import JobState, ReceiveState
from ..models import BackgroundJob, SubmissionJob, TransferInJob

STALLED_AFTER = timedelta(minutes=30)  # a 2,000-student year builds and sends in about a minute
MAX_RESTARTS = 2
RUNNING: dict[type[BackgroundJob], tuple[str, ...]] = {
    SubmissionJob: (JobState.BUILDING, JobState.SENDING),
    TransferInJob: (ReceiveState.CHECKING, ReceiveState.RECEIVING),
}
QUEUED = {SubmissionJob: JobState.QUEUED, TransferInJob: ReceiveState.QUEUED}
FAILED = {SubmissionJob: JobState.FAILED, TransferInJob: ReceiveState.FAILED}


def stalled_jobs(now: datetime | None = None) -> list[BackgroundJob]:
    """Jobs running whose row has not moved for ``STALLED_AFTER``, oldest first."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    found: list[BackgroundJob] = []
    for model, states in RUNNING.items():
        found.extend(model.objects.filter(state__in=states, updated_at__lt=cutoff))  # type: ignore[attr-defined]
    return sorted(found, key=lambda job: job.updated_at)


@transaction.atomic
def restart_stalled(job: BackgroundJob, *, task: Any, now: datetime | None = None) -> str:
    """Queue a stalled ``job`` again with ``task`` (重新執行), or give it up after
    ``MAX_RESTARTS``; audited. Returns "restarted", "abandoned", or "" when the job moved on
    meanwhile (its worker was only slow, or another scheduler restarted it)."""
    now = now or timezone.now()
    model = type(job)
    locked = model.objects.select_for_update().get(pk=job.pk)  # type: ignore[attr-defined]
    if locked.state not in RUNNING[model] or locked.updated_at >= now - STALLED_AFTER:
        return ""
    stalled_in = locked.state
    if locked.restarts >= MAX_RESTARTS:
        locked.state = FAILED[model]
        locked.message = (
            f"背景作業已中斷 {locked.restarts + 1} 次（處理程序可能異常結束），系統已停止重試；"
            "請確認系統狀態後重新送出。"
        )
        locked.finished_at = now
        locked.save(update_fields=["state", "message", "finished_at", "updated_at"])
        _audit("selection.job.abandon", locked, stalled_in)
        return "abandoned"
    locked.restarts += 1
    locked.state = QUEUED[model]
    locked.progress = 0
    locked.save(update_fields=["state", "progress", "restarts", "updated_at"])
    _audit("selection.job.restart", locked, stalled_in)
    transaction.on_commit(lambda: task.enqueue(locked.pk))
    return "restarted"


def _audit(action: str, job: Any, stalled_in: str) -> None:
    record(
        action,
        obj=job,
        school=job.school,
        actor_label="系統排程",
        after={"stalled_in": stalled_in, "restarts": job.restarts},
    )
