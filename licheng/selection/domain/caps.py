"""National selection caps (全國勾選上限, R22), set per academic year by the central administrator."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from licheng.audit.domain import record

from ..models import NationalCaps

# R22: the values DOMAIN gives (6 outcomes, 10 performances) are only what a new year starts
# from when the central administrator has not set that year yet; they are stored at first use.
STARTING_OUTCOMES = 6
STARTING_PERFORMANCES = 10


class CapsError(ValueError):
    pass


def caps_for(academic_year: int) -> NationalCaps:
    """The caps of ``academic_year``; a year nobody set starts from the previous year's caps."""
    found = NationalCaps.objects.filter(academic_year=academic_year).first()
    if found is not None:
        return found
    earlier = NationalCaps.objects.filter(academic_year__lt=academic_year).first()
    return NationalCaps(
        academic_year=academic_year,
        max_outcomes=earlier.max_outcomes if earlier else STARTING_OUTCOMES,
        max_performances=earlier.max_performances if earlier else STARTING_PERFORMANCES,
    )


@transaction.atomic
def set_caps(
    academic_year: int, *, max_outcomes: int, max_performances: int, actor: Any
) -> NationalCaps:
    """Set one year's caps (設定勾選上限), audited with before → after."""
    for value, label in ((max_outcomes, "課程學習成果"), (max_performances, "多元表現")):
        if not 0 <= value <= 50:
            raise CapsError(f"{label}勾選上限須介於 0 到 50 之間")
    caps = caps_for(academic_year)
    before = (
        {"max_outcomes": caps.max_outcomes, "max_performances": caps.max_performances}
        if caps.pk
        else None
    )
    caps.max_outcomes, caps.max_performances = max_outcomes, max_performances
    caps.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    caps.save()
    record(
        "selection.caps.set",
        actor=actor,
        obj=caps,
        before=before,
        after={"max_outcomes": max_outcomes, "max_performances": max_performances},
    )
    return caps
