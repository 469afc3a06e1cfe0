"""Orphans (孤兒檔案): stored-file rows nothing refers to, and stored bytes no row records.

Every StoredFile must be referred to by an item (an outcome, a performance, a counselling
record, an admission upload) or kept as history until purged on purpose; otherwise nobody can
find it, purge it or account for it. The evidence app does not know which apps attach files:
it asks Django for every foreign key that points at ``StoredFile``, whatever app declares it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils import timezone

from licheng.lib.storagewalk import walk

from ..enums import FileKind
from ..models import StoredFile
from ..storage import TEMP_PREFIX

# The names store_upload gives: YYYY/MM/<uuid4 hex>.<kind>; nothing else in the storage is ours.
KINDS = "|".join(re.escape(k.value) for k in FileKind)
STORED_NAME = re.compile(rf"^\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.(?:{KINDS})$")
# An upload in flight has written its bytes but not yet committed its row: leave young files be.
GRACE = dt.timedelta(hours=1)
BATCH = 1000


def references() -> list[tuple[type[models.Model], str]]:
    """(model, column) of every foreign key to StoredFile, many-to-many tables included."""
    return [
        (rel.related_model, rel.field.attname)
        for rel in StoredFile._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and not rel.many_to_many
    ]


def referenced_ids(
    ids: Iterable[Any], *, ignoring: Collection[type[models.Model]] = ()
) -> set[Any]:
    """Which of ``ids`` something refers to, not counting the ``ignoring`` models."""
    wanted, found = set(ids), set[Any]()
    for model, column in references():
        if model not in ignoring and wanted - found:
            rows = model._base_manager.filter(**{f"{column}__in": wanted - found})
            found.update(rows.values_list(column, flat=True))
    return found


def unreferenced_files() -> models.QuerySet[StoredFile]:
    """Stored-file rows that nothing refers to: neither an item nor a kept-history row."""
    files = StoredFile.objects.all()
    for model, column in references():
        # NOT IN with a NULL in the list matches nothing, so the NULLs stay out.
        used = model._base_manager.filter(**{f"{column}__isnull": False}).values(column)
        files = files.exclude(pk__in=used)
    return files.order_by("created_at")


def _old_enough(storage: Storage, name: str, before: dt.datetime) -> bool:
    try:
        return storage.get_modified_time(name) < before
    except (NotImplementedError, OSError):
        return True


def _batches(names: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def unrecorded_names(
    storage: Storage | None = None, *, now: dt.datetime | None = None
) -> Iterator[tuple[str, str]]:
    """("unrecorded", name) for stored bytes no row records and ("temporary", name) for
    half-written uploads a crash left, each at least ``GRACE`` old (uploads in flight skipped)."""
    storage = storage or default_storage
    before = (now or timezone.now()) - GRACE
    candidates = (
        name
        for name in walk(storage)
        if STORED_NAME.match(name) or name.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)
    )
    for batch in _batches(candidates):
        recorded = set(
            StoredFile.objects.filter(storage_name__in=batch).values_list("storage_name", flat=True)
        )
        for name in batch:
            if name not in recorded and _old_enough(storage, name, before):
                yield ("unrecorded" if STORED_NAME.match(name) else "temporary"), name
