"""Audit entries held and written in one INSERT (R35): none lost, none written for a change
that rolled back, and the order they were recorded in kept."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from licheng.audit.domain import record, written_together
from licheng.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_r35_entries_recorded_together_are_written_in_one_insert_in_order(school_a):
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx, written_together():
        record("test.first", obj=school_a, school=school_a)
        record("test.second", obj=school_a, after={"n": 2})
        assert AuditEntry.objects.filter(action__startswith="test.").count() == 0
    inserts = [q for q in ctx.captured_queries if q["sql"].upper().startswith("INSERT")]
    assert len(inserts) == 1
    entries = list(AuditEntry.objects.filter(action__startswith="test.").order_by("pk"))
    assert [e.action for e in entries] == ["test.first", "test.second"]
    assert entries[1].after == {"n": 2} and entries[0].school_id == school_a.pk
    assert all(e.at is not None for e in entries)


def test_r35_a_change_that_fails_inside_writes_none_of_its_entries(school_a):
    with pytest.raises(RuntimeError), transaction.atomic(), written_together():
        record("test.first", obj=school_a)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.filter(action="test.first").exists()


def test_r35_outside_the_block_each_entry_is_written_at_once(school_a):
    record("test.alone", obj=school_a)
    with written_together():
        pass
    assert AuditEntry.objects.filter(action="test.alone").count() == 1
