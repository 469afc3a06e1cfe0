"""Kept files (舊版檔案): files an item no longer uses, kept until the school purges them.

A stored file is immutable and never simply dropped: replacing an item's file, deleting an
item, or removing an upload from an admission application keeps each file as a ReplacedFile
row. Only a school administrator's explicit, audited purge removes the row, the StoredFile and
its bytes (each file's SHA-256 stays in the audit entry).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from licheng.accounts.enums import Role
from licheng.audit.domain import record
from licheng.evidence.domain.orphans import referenced_ids
from licheng.evidence.models import StoredFile
from licheng.schools.models import School, Student

from ..enums import KeptItemKind, KeptReason
from ..models import LearningOutcome, Performance, ReplacedFile
from . import PortfolioError

Item = LearningOutcome | Performance


def keep_files(
    files: Iterable[StoredFile],
    *,
    student: Student,
    kind: KeptItemKind,
    item_pk: int,
    title: str,
    reason: KeptReason,
    actor: Any,
    item: Item | None = None,
) -> list[ReplacedFile]:
    """Keep ``files`` as history of the item they leave; ``item`` only while it still exists.

    Called inside the domain function that replaces the files or deletes the item (it writes
    the audit entry), so no file is ever left referred to by nothing.
    """
    link = {
        "outcome": item if isinstance(item, LearningOutcome) else None,
        "performance": item if isinstance(item, Performance) else None,
    }
    return [
        ReplacedFile.objects.get_or_create(
            stored_file=stored,
            **link,
            defaults={
                "student": student,
                "item_kind": kind,
                "item_pk": item_pk,
                "item_title": title[:120],
                "reason": reason,
                "replaced_by": actor if getattr(actor, "pk", None) else None,
            },
        )[0]
        for stored in files
    ]


def _kind_of(item: Item) -> KeptItemKind:
    return KeptItemKind.OUTCOME if isinstance(item, LearningOutcome) else KeptItemKind.PERFORMANCE


def keep_item_files(
    files: Iterable[StoredFile], *, item: Item, reason: KeptReason, actor: Any
) -> list[ReplacedFile]:
    """Files leaving an outcome or a performance: replaced by new ones (換檔, still linked to
    the item), or the item is about to be deleted (刪除項目, kept with what it was)."""
    return keep_files(
        files,
        student=item.student,
        kind=_kind_of(item),
        item_pk=item.pk,
        title=item.title,
        reason=reason,
        actor=actor,
        item=item if reason == KeptReason.REPLACED else None,
    )


def _check_admin(actor: Any, school_id: int) -> None:
    if not actor.has_role(Role.SCHOOL_ADMIN, school_id):
        raise PortfolioError(_("只有學校行政人員可以清除舊版檔案"))


def _purge(rows: list[ReplacedFile], *, obj: Any, school: Any, actor: Any) -> int:
    """Remove the rows, then every file nothing else refers to, then (on commit) its bytes."""
    first = rows[0]
    ReplacedFile.objects.filter(pk__in=[r.pk for r in rows]).delete()
    # A file still used by an item (or kept for another) stays; only its history row goes.
    in_use = referenced_ids(r.stored_file_id for r in rows)
    gone = [r.stored_file for r in rows if r.stored_file_id not in in_use]
    record(
        f"portfolio.{first.item_kind}.purge_files",
        actor=actor,
        obj=obj,
        school=school,
        before={
            "item": {"kind": first.item_kind, "id": first.item_pk, "title": first.item_title},
            "student": first.student_id,
            "files": [{"id": str(f.pk), "sha256": f.sha256, "size": f.size} for f in gone],
        },
    )
    names = [stored.storage_name for stored in gone]
    StoredFile.objects.filter(pk__in=[stored.pk for stored in gone]).delete()

    def delete_bytes() -> None:
        for name in names:
            default_storage.delete(name)

    # Bytes go only once the rows are gone for good: never a row without its file.
    transaction.on_commit(delete_bytes)
    return len(gone)


@transaction.atomic
def purge_replaced_files(item: Item, *, actor: Any) -> int:
    """Delete the files an outcome or a performance no longer uses (清除舊版檔案).

    The only way a stored file goes: an explicit, audited act of the school administrator;
    each file's SHA-256 is kept in the audit entry. Returns how many files were removed.
    """
    _check_admin(actor, item.student.school_id)
    rows = list(item.replaced_files.select_related("stored_file"))
    if not rows:
        return 0
    return _purge(rows, obj=item, school=item.student.school, actor=actor)


def kept_files_of(school: School):
    """The school's kept files, whether their item still exists or not."""
    return ReplacedFile.objects.filter(student__school=school)


@transaction.atomic
def purge_school_replaced_files(
    school: School, *, actor: Any, ids: Iterable[int] | None = None
) -> int:
    """Purge the kept files of one school (清除舊版檔案): all of them, or those whose kept-file
    rows are ``ids`` (ids of another school's rows are ignored), item by item, each audited.

    Files of deleted items are audited on the student, with the item's kind, id and title.
    """
    # Checked here too: with nothing to purge no item would ask.
    _check_admin(actor, school.pk)
    groups: dict[tuple[str, int], list[ReplacedFile]] = defaultdict(list)
    rows = kept_files_of(school).select_related("stored_file", "student", "outcome", "performance")
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for row in rows:
        groups[(row.item_kind, row.item_pk)].append(row)
    purged = 0
    for group in groups.values():
        item = next((r.item for r in group if r.item is not None), None)
        purged += _purge(group, obj=item or group[0].student, school=school, actor=actor)
    return purged
