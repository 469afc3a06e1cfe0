"""Scheduled tasks of the central repository (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from .domain.archive import seal_due_students


@task(queue_name="default")
def seal_due_students_task() -> int:
    """Daily: seal students whose 5 years since their first application have passed (R26)."""
    return seal_due_students()
