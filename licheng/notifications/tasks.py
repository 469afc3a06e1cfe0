"""Background tasks of notifications (django-tasks; in-process by default, db_worker in production)."""

from __future__ import annotations

from django_tasks import task

from .domain.delivery import deliver


@task(queue_name="notifications")
def deliver_notifications(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications; running it twice sends nothing twice."""
    return deliver(notification_ids)


@task(queue_name="notifications")
def send_reminders(day: str | None = None) -> int:
    """Daily: windows opening and closing soon (作業期程提醒), outcomes waiting for certification."""
    import datetime as dt

    from django.utils import timezone

    from .domain.certification import send_certification_waiting
    from .domain.reminders import send_window_reminders

    on = dt.date.fromisoformat(day) if day else timezone.localdate()
    return send_window_reminders(on) + send_certification_waiting(on)
