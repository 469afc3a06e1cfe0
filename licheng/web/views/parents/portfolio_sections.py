"""The portfolio sections of the parent's view (R33): a child's course learning outcomes with
their certification status (R13), diverse performances, and what the central repository received
(收訖明細, R36: the year's selection and the semester's records). Files open through the same
permission-checked evidence view as everyone's; the rule below lets a bound parent read them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from licheng.accounts.domain.binding import is_parent_of
from licheng.central.models import CentralStudent
from licheng.central.queries import records_of
from licheng.evidence.access import register_reader
from licheng.evidence.models import StoredFile
from licheng.portfolio.enums import OutcomeState, PerformanceState
from licheng.portfolio.queries import outcomes_of, performances_of, same_named_course_codes
from licheng.schools.models import Student

from .sections import Section, register


@register_reader
def bound_parent(user: Any, stored: StoredFile) -> bool:
    """R33: a parent with an approved binding reads their child's files (never changes them)."""
    return stored.owner is not None and is_parent_of(user, stored.owner)


@register(30)
def outcomes(student: Student, viewer: Any) -> Section:
    """Course learning outcomes and where each stands: waiting, certified or returned (R13)."""
    items = [o for o in outcomes_of(student) if o.state != OutcomeState.DRAFT]
    counts = dict.fromkeys(OutcomeState.values, 0)
    for item in items:
        counts[item.state] += 1
    return Section(
        _("課程學習成果與認證"),
        "web/parents/sections/outcomes.html",
        {"items": items, "counts": counts, "coded": same_named_course_codes(items)},
    )


@register(40)
def performances(student: Student, viewer: Any) -> Section:
    """Diverse performances the child uploaded or the school and organizers registered."""
    items = [p for p in performances_of(student) if p.state == PerformanceState.SUBMITTED]
    return Section(_("多元表現"), "web/parents/sections/performances.html", {"items": items})


@register(50)
def receipts(student: Student, viewer: Any) -> Section:
    """What the central repository holds for the child and whether it was confirmed (R36)."""
    person = CentralStudent.objects.filter(national_id=student.national_id).first()
    records = list(records_of(person, current_only=True)) if person is not None else []
    return Section(
        _("收訖明細"),
        "web/parents/sections/receipts.html",
        {"records": records, "sealed": person is not None and person.is_sealed},
    )
