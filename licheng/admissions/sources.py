"""What a student can pick from their central-repository record (中央資料庫, R27).

The admission platform reads the central repository only here: the current version of each
annual record (R22, R25), nothing of a sealed student (R26), each item with its first file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from licheng.central.enums import PackageKind
from licheng.central.models import CentralFile, CentralItem, CentralStudent
from licheng.lib.i18n import source_language
from licheng.portfolio.categories import detail_text
from licheng.portfolio.enums import PerformanceCategory
from licheng.schools.models import Student

from .enums import ItemKind

# R28 counts 專題實作及實習 outcomes apart; the central record knows them by their course name.
PROJECT_COURSE_MARKERS = ("專題實作", "實習")
REF_PREFIX = "central:"
DETAIL_MAX = 200  # ApplicationItem.detail


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
    central_item_id: int | None = None


def central_student_for(student: Student) -> CentralStudent | None:
    return CentralStudent.objects.filter(national_id=student.national_id).first()


def portfolio_items(student: Student) -> list[PortfolioItem]:
    """The items the central repository holds for ``student`` and may release (R26, R27)."""
    central = central_student_for(student)
    if central is None or central.is_sealed:
        return []
    items = (
        # Only what the school submitted as the year's selection (R22, R14): a transfer record
        # (R38) also holds drafts, uncertified and returned items, and is no selection.
        CentralItem.objects.filter(
            student=central, record__is_current=True, record__kind=PackageKind.ANNUAL
        )
        .select_related("record")
        .prefetch_related(Prefetch("files", CentralFile.objects.select_related("blob")))
        .order_by("item_type", "-academic_year", "semester", "pk")
    )
    return [_from_central(item) for item in items]


def _kind(item: CentralItem) -> ItemKind:
    if item.item_type == "performance":
        return ItemKind.PERFORMANCE
    if any(marker in item.course_name for marker in PROJECT_COURSE_MARKERS):
        return ItemKind.PROJECT_OUTCOME
    return ItemKind.OUTCOME


def _detail(item: CentralItem) -> str:
    term = f"{item.academic_year}學年度" + (f"第{item.semester}學期" if item.semester else "")
    labels = dict(PerformanceCategory.choices)
    with source_language():  # kept with the application, in zh-Hant like the rest of the line
        what = item.course_name or str(labels.get(item.category, item.category))
        # The category's fields (主辦單位、名次、時數 …) are what reviewers look for (R15).
        fields = detail_text(item.category, item.details or {})
    return f"{term} {what}{' · ' + fields if fields else ''}".strip()[:DETAIL_MAX]


def _from_central(item: CentralItem) -> PortfolioItem:
    files = list(item.files.all())
    # A document (PDF or image) goes on the package's pages; a lone media file is linked.
    shown = next((f for f in files if not f.content_type.startswith(("audio/", "video/"))), None)
    shown = shown or (files[0] if files else None)
    return PortfolioItem(
        ref=f"{REF_PREFIX}{item.pk}",
        kind=_kind(item),
        title=item.title,
        description=item.description,
        detail=_detail(item),
        file_path=shown.blob.storage_name if shown else "",
        file_name=shown.name if shown else "",
        content_type=shown.content_type if shown else "",
        size=shown.blob.size if shown else 0,
        sha256=shown.blob_id if shown else "",
        link=item.link,
        central_item_id=item.pk,
    )
