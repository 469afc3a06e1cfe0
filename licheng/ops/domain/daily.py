"""Daily jobs (每日排程): what the scheduler queues once a day besides the nightly backup.

django-tasks has no periodic tasks, so ``manage.py ops_scheduler`` is the clock; each job here
is queued at most once per day across every scheduler process (``DailyRun`` is unique per day).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import DailyRun


def _jobs() -> dict[str, object]:
    # Imported late: the tasks modules import their apps' domain code.
    from licheng.central.tasks import seal_due_students_task
    from licheng.notifications.tasks import send_reminders

    from ..tasks import certification_reminders, clear_expired_sessions

    return {
        # Windows opening/closing soon, certification waiting (R12, R23, R36; issue 8).
        "window_reminders": send_reminders,
        # Certifiers near the certification deadline (R37).
        "certification_reminders": certification_reminders,
        # Seal students 5 years after their first application (R26).
        "seal_archives": seal_due_students_task,
        # Sessions past their expiry (every request reads that table first).
        "clear_sessions": clear_expired_sessions,
    }


def _claim(job: str, day: date) -> bool:
    try:
        with transaction.atomic():
            DailyRun.objects.create(job=job, day=day)
    except IntegrityError:
        return False  # another scheduler queued it already
    return True


def queue_daily_jobs(now: datetime | None = None) -> list[str]:
    """Queue today's daily jobs not yet queued, once past ``DAILY_JOBS_HOUR`` (Asia/Taipei)."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.DAILY_JOBS_HOUR:
        return []
    queued = []
    for name, job in _jobs().items():
        if _claim(name, local.date()):
            if name == "window_reminders":
                job.enqueue(local.date().isoformat())  # type: ignore[attr-defined]
            else:
                job.enqueue()  # type: ignore[attr-defined]
            queued.append(name)
    return queued


def restart_stalled_jobs(now: datetime | None = None) -> list[str]:
    """Queue again the submissions and transfers in whose worker died (see selection's jobs);
    one line per job for the scheduler's log."""
    from licheng.central.tasks import receive_central_transfer_task
    from licheng.selection.domain.jobs import restart_stalled, stalled_jobs
    from licheng.selection.models import SubmissionJob
    from licheng.selection.tasks import receive_transfer_package_task, run_submission_task

    lines = []
    for job in stalled_jobs(now):
        if isinstance(job, SubmissionJob):
            task = run_submission_task
        elif job.central_record_id:  # type: ignore[attr-defined]
            task = receive_central_transfer_task
        else:
            task = receive_transfer_package_task
        outcome = restart_stalled(job, task=task, now=now)
        if outcome:
            lines.append(f"{job._meta.verbose_name} #{job.pk} {job}：{outcome}")
    return lines
