"""Archiving (封存, R26): a student's data is sealed 5 years after their first admission
application; sealed data stays (the repository keeps everything) but is no longer released."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from licheng.audit.domain import record

from ..models import CentralStudent

SEAL_AFTER_YEARS = 5  # R26


def seal_date(first_applied_on: dt.date) -> dt.date:
    """The day a student's data is sealed: 5 years after the first application (29 Feb → 28)."""
    year = first_applied_on.year + SEAL_AFTER_YEARS
    try:
        return first_applied_on.replace(year=year)
    except ValueError:
        return first_applied_on.replace(year=year, day=28)


@transaction.atomic
def note_admission_application(student: CentralStudent, *, on: dt.date, actor: Any) -> None:
    """Record a student's admission application (升學申請); only the first one starts R26's clock."""
    if student.first_applied_on is not None and student.first_applied_on <= on:
        return
    student.first_applied_on = on
    student.save(update_fields=["first_applied_on"])
    record("central.student.applied", actor=actor, obj=student, after={"on": on})


def due_for_sealing(today: dt.date) -> Any:
    cutoff = seal_date_cutoff(today)
    return CentralStudent.objects.filter(sealed_at=None, first_applied_on__lte=cutoff)


def seal_date_cutoff(today: dt.date) -> dt.date:
    """Students who first applied on or before this day are due for sealing today."""
    try:
        return today.replace(year=today.year - SEAL_AFTER_YEARS)
    except ValueError:
        return today.replace(year=today.year - SEAL_AFTER_YEARS, day=28)


@transaction.atomic
def seal_due_students(today: dt.date | None = None) -> int:
    """Seal everyone due (封存); run daily by the scheduled task. Returns how many were sealed."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = list(due_for_sealing(today).values_list("pk", flat=True))
    CentralStudent.objects.filter(pk__in=ids).update(sealed_at=now)
    if ids:
        record(
            "central.archive.seal",
            actor_label="排程：封存",
            after={"students": len(ids), "cutoff": seal_date_cutoff(today)},
        )
    return len(ids)


class SealedError(PermissionError):
    """R26: the student's data is sealed and may not be released."""


def ensure_releasable(student: CentralStudent) -> None:
    """Admissions calls this before releasing anything of ``student`` (R26)."""
    if student.is_sealed:
        raise SealedError(f"{student.name} 的資料已於 {student.sealed_at:%Y-%m-%d} 封存，不再提供")
