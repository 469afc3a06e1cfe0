"""lib/rows.py: inserts written once must leave exactly the rows, instances and signals that
``save()`` leaves (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import signals
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from licheng.audit.models import AuditEntry
from licheng.evidence.enums import FileKind
from licheng.evidence.models import StoredFile
from licheng.lib.rows import insert_new

pytestmark = pytest.mark.django_db


def _entry(school, n: int) -> AuditEntry:
    return AuditEntry(
        action=f"test.{n}",
        object_type="schools.School",
        object_id=str(school.pk),
        object_repr="甲高中",
        school=school,
        before={"狀態": "待認證"},
        after={"n": n, "files": ["a", "b"]},
    )


def test_rows_inserted_together_read_back_as_the_orm_saves_them(school_a):
    ours = [_entry(school_a, 1), _entry(school_a, 2), _entry(school_a, 3)]
    with CaptureQueriesContext(connection) as ctx:
        insert_new(*ours)
    assert len(ctx.captured_queries) == 1
    theirs = _entry(school_a, 1)
    theirs.save(force_insert=True)
    assert [e.pk for e in ours] == sorted(e.pk for e in ours) and None not in [e.pk for e in ours]
    for entry in ours:
        assert not entry._state.adding and entry._state.db == "default"
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert stored.at == entry.at and stored.at is not None  # auto_now_add, as save() sets it
        assert stored.after == entry.after and stored.before == {"狀態": "待認證"}
    exclude = {"id", "at", "action", "after"}
    first = model_to_dict(AuditEntry.objects.get(pk=ours[0].pk))
    again = model_to_dict(AuditEntry.objects.get(pk=theirs.pk))
    assert {k: v for k, v in first.items() if k not in exclude} == {
        k: v for k, v in again.items() if k not in exclude
    }


def test_a_row_with_its_own_key_and_related_rows_is_saved_with_its_signals(student):
    seen: list[tuple[str, bool]] = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance._state.adding))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", created))

    signals.pre_save.connect(before, sender=StoredFile)
    signals.post_save.connect(after, sender=StoredFile)
    try:
        stored = StoredFile(
            storage_name="2026/12/x.pdf",
            original_name="報告.pdf",
            sha256="0" * 64,
            size=12,
            kind=FileKind.PDF,
            page_count=1,
            owner=student,
        )
        insert_new(stored)
    finally:
        signals.pre_save.disconnect(before, sender=StoredFile)
        signals.post_save.disconnect(after, sender=StoredFile)
    assert seen == [("pre", True), ("post", True)]
    kept = StoredFile.objects.get(pk=stored.pk)
    assert kept.owner_id == student.pk and kept.original_name == "報告.pdf"
    assert kept.created_at == stored.created_at


def test_a_row_pointing_at_an_unsaved_one_is_refused_as_save_refuses_it(student):
    entry = AuditEntry(action="test.x", school=type(student.school)(code="999999", name="未存"))
    with pytest.raises(ValueError):
        insert_new(entry)
    assert entry._state.adding
    assert not AuditEntry.objects.filter(action="test.x").exists()
