"""The student edits or deletes their own diverse performance (修改/刪除多元表現, R15–R19).

Only the student's own uploads, only while the upload window is open, and never once the item
is part of what the school sent to the central repository. A replaced proof file is kept as a
ReplacedFile until a school administrator purges it, as for course learning outcomes; so are
the files of a deleted performance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from licheng.audit.domain import record
from licheng.evidence.domain.rollback import bytes_follow_rows
from licheng.schools.domain.windows import window_for
from licheng.schools.enums import WindowKind

from ..enums import KeptReason, PerformanceSource
from ..models import Performance
from ..rules import window_error
from . import PortfolioError
from .history import keep_item_files
from .performances import MAX_FILES, _store_files, _validate


def _selected_items():
    # selection sits above portfolio in the import order, so it is looked up by name here:
    # the same string reference its SelectedItem.performance foreign key uses the other way.
    return apps.get_model("selection", "SelectedItem").objects


def sent_to_central(performance: Performance) -> bool:
    """Whether the school already sent this item to the central repository: that copy is
    frozen, so no one changes the item any more (R19)."""
    return (
        _selected_items()
        .filter(performance=performance, selection__submitted_at__isnull=False)
        .exists()
    )


def selection_error(performance: Performance) -> str:
    """Why a ticked performance cannot be deleted (勾選), or "" when it is not ticked."""
    items = _selected_items().filter(performance=performance).select_related("selection")
    if any(item.selection.submitted_at is not None for item in items):
        return _("此多元表現已由學校提交至中央資料庫，不能修改或刪除")
    if items:
        return _("此多元表現已勾選提交至中央資料庫，請先在「年度勾選」取消勾選後再刪除")
    return ""


def change_error(performance: Performance, *, today: dt.date | None = None) -> str:
    """Why the student may not edit this performance now, or "" when they may.

    R19: items registered by the school or imported by an organizer are not the student's to
    change; an item the school already sent to the central repository is frozen.
    """
    if performance.source == PerformanceSource.SCHOOL:
        return _("學校登錄的多元表現不能由學生修改或刪除")
    if performance.source == PerformanceSource.ORGANIZER:
        return _("主辦機構匯入的多元表現不能由學生修改或刪除")
    if performance.source == PerformanceSource.TRANSFER:
        return _("轉學帶入的多元表現是原學校的紀錄，不能修改或刪除")
    message = window_error(
        window_for(
            performance.student.school, WindowKind.PERFORMANCE_UPLOAD, performance.academic_year
        ),
        today or timezone.localdate(),
    )
    if message:
        return message
    if sent_to_central(performance):
        return _("此多元表現已由學校提交至中央資料庫，不能修改或刪除")
    return ""


def _lock_own(performance: Performance, actor: Any) -> Performance:
    locked = (
        Performance.objects.select_for_update()
        .select_related("student__school")
        .get(pk=performance.pk)
    )
    if locked.student.user_id != getattr(actor, "pk", None):
        raise PortfolioError(_("只能修改自己的多元表現"))
    message = change_error(locked)
    if message:
        raise PortfolioError(message)
    return locked


def _snapshot(performance: Performance) -> dict[str, Any]:
    return {
        "category": performance.category,
        "title": performance.title,
        "activity_date": performance.activity_date.isoformat(),
        "details": performance.details,
        "description": performance.description,
        "link": performance.link,
        "files": sorted(str(f.pk) for f in performance.files.all()),
    }


@bytes_follow_rows
@transaction.atomic
def revise_performance(
    performance: Performance,
    *,
    title: str,
    activity_date: dt.date | None,
    details: dict[str, Any],
    description: str = "",
    link: str = "",
    replace_file_ids: set[Any] | frozenset[Any] = frozenset(),
    add_files: list[UploadedFile] | None = None,
    actor: Any,
) -> Performance:
    """Edit one's own performance (修改多元表現): fields, description, link and proof files.

    The category stays (its fields define the item). Files named in ``replace_file_ids`` leave
    the item but are kept as ReplacedFile; ``add_files`` are validated and stored like uploads
    (R16), with at most three proof files in all.
    """
    performance = _lock_own(performance, actor)
    cleaned, day = _validate(
        performance.student,
        category=performance.category,
        title=title,
        activity_date=activity_date,
        details=details,
        description=description,
        link=link,
    )
    before = _snapshot(performance)
    current = list(performance.files.all())
    replaced = [f for f in current if str(f.pk) in {str(i) for i in replace_file_ids}]
    uploads = add_files or []
    if len(current) - len(replaced) + len(uploads) > MAX_FILES:
        raise PortfolioError(_("證明文件最多 %(n)s 個") % {"n": MAX_FILES}, "files")
    stored = _store_files(uploads, performance.student, actor, owner=performance.student)
    keep_item_files(replaced, item=performance, reason=KeptReason.REPLACED, actor=actor)
    performance.files.remove(*replaced)
    performance.files.add(*stored)
    performance.title = title.strip()
    performance.activity_date = day
    performance.details = cleaned
    performance.description = description.strip()
    performance.link = link
    performance.save()
    record(
        "portfolio.performance.revise",
        actor=actor,
        obj=performance,
        school=performance.student.school,
        before=before,
        after=_snapshot(performance),
    )
    return performance


@transaction.atomic
def delete_performance(performance: Performance, *, actor: Any) -> None:
    """Delete one's own performance (刪除多元表現), unless it is ticked for the central repository.

    Its stored files are not deleted: they are kept as history (ReplacedFile, with the item's
    title) until a school administrator purges them; their ids and SHA-256 are in the audit
    entry too. Files it had replaced earlier stay kept, no longer linked to the item.
    """
    performance = _lock_own(performance, actor)
    message = selection_error(performance)
    if message:
        raise PortfolioError(message)
    files = list(performance.files.all())
    before = _snapshot(performance)
    before["files"] = [{"id": str(f.pk), "sha256": f.sha256, "size": f.size} for f in files]
    keep_item_files(files, item=performance, reason=KeptReason.ITEM_DELETED, actor=actor)
    record(
        "portfolio.performance.delete",
        actor=actor,
        obj=performance,
        school=performance.student.school,
        before=before,
    )
    try:
        # A save point, so a tick that lands between the check and here is refused cleanly.
        with transaction.atomic():
            performance.delete()
    except ProtectedError:
        raise PortfolioError(
            _("此多元表現已勾選提交至中央資料庫，請先在「年度勾選」取消勾選後再刪除")
        ) from None
