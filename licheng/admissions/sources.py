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
    """The items the central repository holds for ``student`` and may release (R26, R27): the
    current version of each annual selection; nothing once the record is sealed (R26)."""
    from licheng.central.domain.archive import SealedError
    from licheng.central.models import CentralStudent
    from licheng.central.queries import releasable_items

    person = CentralStudent.objects.filter(national_id=student.national_id).first()
    if person is None:
        return []
    try:
        items = list(releasable_items(person))
    except SealedError:
        return []
    return [_from_central(item) for item in items]


def _from_central(item) -> PortfolioItem:
    """One central item; an item with several files (document and media) offers its first."""
    files = list(item.files.all())
    first = files[0] if files else None
    is_outcome = item.item_type == "course_outcome"
    detail = (
        f"{item.academic_year}-{item.semester} {item.course_name}".strip()
        if is_outcome
        else f"{item.academic_year} {item.category}"
    )
    return PortfolioItem(
        ref=f"central:{item.pk}",
        kind=ItemKind.OUTCOME if is_outcome else ItemKind.PERFORMANCE,
        title=item.title,
        description=item.description,
        detail=detail,
        file_path=first.blob.storage_name if first else "",
        file_name=first.name if first else "",
        content_type=first.content_type if first else "",
        size=first.blob.size if first else 0,
        sha256=first.sha256 if first else "",
        link=item.link,
    )
