"""Academic years in ROC numbering (學年度) and their semesters (學期).

113學年度 runs from 2024-08-01 to 2025-07-31. Semester 1 is August–January, semester 2 is
February–July. ROC year = Gregorian year − 1911.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROC_OFFSET = 1911


def academic_year_of(day: dt.date) -> int:
    """The ROC academic year (學年度) that ``day`` falls in."""
    start_year = day.year if day.month >= 8 else day.year - 1
    return start_year - ROC_OFFSET


def semester_of(day: dt.date) -> int:
    """1 for August–January, 2 for February–July."""
    return 2 if 2 <= day.month <= 7 else 1


def year_start(academic_year: int) -> dt.date:
    return dt.date(academic_year + ROC_OFFSET, 8, 1)


def year_end(academic_year: int) -> dt.date:
    return dt.date(academic_year + ROC_OFFSET + 1, 7, 31)


def year_label(academic_year: int) -> str:
    """「113學年度」, in the reader's language."""
    return _("%(y)s學年度") % {"y": academic_year}


def period_label(academic_year: int, semester: int | None) -> str:
    """「113學年度第1學期」, or 「113學年度」 for a whole year (semester 0 or None), in the
    reader's language."""
    return Term(academic_year, semester).label if semester else year_label(academic_year)


def roc_date(day: dt.date) -> str:
    """``2024-09-01`` → ``113/09/01``, the way schools write dates."""
    return f"{day.year - ROC_OFFSET}/{day.month:02d}/{day.day:02d}"


def parse_roc_date(text: str) -> dt.date:
    """Parse ``113/09/01``, ``113-9-1`` or ``1130901`` (ROC) and ``2024-09-01`` (Gregorian)."""
    cleaned = text.strip().replace("-", "/").replace(".", "/")
    if "/" in cleaned:
        year_s, month_s, day_s = cleaned.split("/")
    elif cleaned.isdigit() and len(cleaned) in (6, 7):
        year_s, month_s, day_s = cleaned[:-4], cleaned[-4:-2], cleaned[-2:]
    elif cleaned.isdigit() and len(cleaned) == 8:
        year_s, month_s, day_s = cleaned[:4], cleaned[4:6], cleaned[6:]
    else:
        raise ValueError(f"not a date: {text!r}")
    year = int(year_s)
    if year < 1000:
        year += ROC_OFFSET
    return dt.date(year, int(month_s), int(day_s))


@dataclass(frozen=True, order=True)
class Term:
    """One semester of one academic year (學年度學期), e.g. 113學年度第1學期."""

    academic_year: int
    semester: int

    def __post_init__(self) -> None:
        if self.semester not in (1, 2):
            raise ValueError("semester must be 1 or 2")

    @classmethod
    def of(cls, day: dt.date) -> Term:
        return cls(academic_year_of(day), semester_of(day))

    @classmethod
    def current(cls) -> Term:
        from django.utils import timezone

        return cls.of(timezone.localdate())

    @property
    def start(self) -> dt.date:
        g = self.academic_year + ROC_OFFSET
        return dt.date(g, 8, 1) if self.semester == 1 else dt.date(g + 1, 2, 1)

    @property
    def end(self) -> dt.date:
        g = self.academic_year + ROC_OFFSET
        if self.semester == 1:
            return dt.date(g + 1, 1, 31)
        return dt.date(g + 1, 7, 31)

    @property
    def label(self) -> str:
        """「113學年度第1學期」, in the reader's language."""
        return _("%(year)s學年度第%(semester)s學期") % {
            "year": self.academic_year,
            "semester": self.semester,
        }

    @property
    def code(self) -> str:
        """Compact form used in URLs and files: ``113-1``."""
        return f"{self.academic_year}-{self.semester}"

    @classmethod
    def from_code(cls, code: str) -> Term:
        year, semester = code.split("-")
        return cls(int(year), int(semester))

    def next(self) -> Term:
        if self.semester == 1:
            return Term(self.academic_year, 2)
        return Term(self.academic_year + 1, 1)

    def previous(self) -> Term:
        if self.semester == 2:
            return Term(self.academic_year, 1)
        return Term(self.academic_year - 1, 2)

    def __str__(self) -> str:
        return self.label
