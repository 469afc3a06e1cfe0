"""Background tasks of the school's submissions (django-tasks, queue ``submissions``)."""

from __future__ import annotations

from django_tasks import task

from .domain.submission import run_submission
from .models import SubmissionJob


@task(queue_name="submissions")
def run_submission_task(job_id: int) -> str:
    """Build and send one submission; the job row carries its progress and receipt."""
    return run_submission(SubmissionJob.objects.select_related("school").get(pk=job_id)).state
