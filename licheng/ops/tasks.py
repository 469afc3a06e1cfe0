"""Background tasks of operations (django-tasks; the ``backups`` queue)."""

from __future__ import annotations

from django_tasks import task

from .domain import backups
from .models import BackupRun


@task(queue_name="backups")
def run_backup(run_id: int) -> str:
    """Run one queued backup (the nightly one or a manual one) and verify it."""
    run = backups.run_backup(BackupRun.objects.get(pk=run_id))
    return run.status


@task(queue_name="default")
def ping(marker: str) -> str:
    """A task that proves a worker runs what an app process enqueued (readyz, tests)."""
    import os

    return f"{marker}:{os.getpid()}"


@task(queue_name="notifications")
def certification_reminders() -> int:
    """R37: mail certifiers whose certification deadline is near (queued daily by the scheduler)."""
    from django.utils import timezone

    from licheng.portfolio.domain.reminders import send_certification_reminders

    return send_certification_reminders(timezone.localdate())


@task(queue_name="default")
def clear_expired_sessions() -> int:
    """Expired sessions (登入工作階段) removed (queued daily by the scheduler): nothing reads
    them again, and the table every request starts with stays the size of who is signed in."""
    from licheng.accounts.sessions import SessionStore

    expired = SessionStore.get_model_class().objects.filter(expire_date__lt=_now())
    deleted, _by_model = expired.delete()
    return deleted


def _now():
    from django.utils import timezone

    return timezone.now()
