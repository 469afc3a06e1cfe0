"""What a parent sees of a child (家長檢視), as a registry of read-only sections.

Each area adds its own section (uploads and certification, selections, receipts …) with
``register``; the child page shows them in order. A section is a function
``(student, viewer) -> Section | None`` that only reads: nothing on the parent's pages changes data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from licheng.lib.roc import Term
from licheng.notifications.domain.deadlines import STUDENT_KINDS, nearby_years, school_windows
from licheng.schools.models import Student
from licheng.schools.queries import current_class


@dataclass
class Section:
    title: Any
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionBuilder = Callable[[Student, Any], "Section | None"]
SECTIONS: list[tuple[int, SectionBuilder]] = []


def register(order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Add a section to the parent's view of a child; lower ``order`` comes first."""

    def add(builder: SectionBuilder) -> SectionBuilder:
        SECTIONS.append((order, builder))
        SECTIONS.sort(key=lambda item: item[0])
        return builder

    return add


def sections_for(student: Student, viewer: Any) -> list[Section]:
    return [s for _order, build in SECTIONS if (s := build(student, viewer)) is not None]


@register(10)
def basic_data(student: Student, viewer: Any) -> Section:
    """The child's registration data (學籍資料) as the school keeps it."""
    return Section(
        _("學籍資料"),
        "web/parents/sections/basic.html",
        {"student": student, "school_class": current_class(student), "term": Term.current()},
    )


@register(20)
def deadlines(student: Student, viewer: Any) -> Section:
    """The child's windows (作業期程) with how many days are left: R12, R23."""
    today = timezone.localdate()
    recent = today - dt.timedelta(days=30)  # a window that closed last month still explains things
    rows = [
        {"window": w, "open": w.is_open(today), "days_left": w.days_left(today)}
        for w in school_windows(student.school, nearby_years(today))
        if w.kind in STUDENT_KINDS and w.closes_on >= recent
    ]
    return Section(_("期限"), "web/parents/sections/deadlines.html", {"rows": rows})
