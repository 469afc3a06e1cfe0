"""Background tasks of the school's submissions and transfers in (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from .domain.submission import run_submission
from .domain.transfer_jobs import run_package_job
from .models import SubmissionJob, TransferInJob


@task(queue_name="submissions")
def run_submission_task(job_id: int) -> str:
    """Build and send one submission; the job row carries its progress and receipt."""
    return run_submission(SubmissionJob.objects.select_related("school").get(pk=job_id)).state


@task(queue_name="imports")
def receive_transfer_package_task(job_id: int) -> str:
    """Receive an uploaded transfer package (轉入, R38); the job row carries progress and result."""
    job = TransferInJob.objects.select_related("school", "created_by").get(pk=job_id)
    return run_package_job(job).state
