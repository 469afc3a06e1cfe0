"""Tasks of the central repository (django-tasks): scheduled sealing, transfers in from it."""

from __future__ import annotations

from django_tasks import task

from licheng.selection.models import TransferInJob

from .domain.archive import seal_due_students
from .domain.transfers import run_central_job


@task(queue_name="default")
def seal_due_students_task() -> int:
    """Daily: seal students whose 5 years since their first application have passed (R26)."""
    return seal_due_students()


@task(queue_name="imports")
def receive_central_transfer_task(job_id: int) -> str:
    """Receive a student from the central repository (轉入, R38); the job row shows progress."""
    job = TransferInJob.objects.select_related("school", "created_by").get(pk=job_id)
    return run_central_job(job).state
