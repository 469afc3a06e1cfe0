"""What a student can pick from their central-repository record (中央資料庫, R27).

The admission platform reads the central repository only through ``portfolio_items``: one place to
rewire when the central repository's item model changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from licheng.schools.models import Student

from .enums import ItemKind


@dataclass(frozen=True)
class PortfolioItem:
    """One certified item of the student's central record, as the admission platform sees it."""

    ref: str
    kind: ItemKind
    title: str
    description: str = ""
    detail: str = ""  # term, course or category, shown beside the title
    file_path: str = ""
    file_name: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    link: str = ""


def portfolio_items(student: Student) -> list[PortfolioItem]:
    """The items the central repository holds for ``student`` and may release (R26, R27).

    The central repository (tier 3) is its own app; until its item model is on this branch the
    student has no central record here, and applies with uploaded PDFs marked not certified (R39).
    """
    from django.apps import apps

    model_name = "CentralItem"  # a variable: the model is not on this branch yet
    try:
        central_item = apps.get_model("central", model_name)
    except LookupError:
        return []
    # The central repository keys a person by national ID (CentralStudent), not by the school's
    # Student row; only the current version of each record counts.
    items = central_item.objects.filter(
        student__national_id=student.national_id, record__is_current=True
    )
    return [_from_central(item) for item in items]


def _from_central(item) -> PortfolioItem:  # pragma: no cover - wired when central lands
    return PortfolioItem(ref=f"central:{item.pk}", kind=ItemKind.OUTCOME, title=str(item))
