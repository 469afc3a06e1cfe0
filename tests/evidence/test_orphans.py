"""Orphans (孤兒檔案): rows nothing refers to, bytes no row records; reported, never deleted."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.orphans import references, unrecorded_names, unreferenced_files
from licheng.evidence.models import StoredFile

from .conftest import upload

LATER = timezone.now() + dt.timedelta(days=1)


def _bytes_at(name: str) -> str:
    return default_storage.save(name, ContentFile(samples.pdf_bytes()))


def _age(name: str, hours: float) -> None:
    stamp = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def test_every_foreign_key_to_a_stored_file_is_a_reference(db):
    """Evidence does not know the apps that attach files; Django's relations tell it."""
    found = {(model._meta.label, column) for model, column in references()}
    assert {
        ("portfolio.LearningOutcome", "document_id"),
        ("portfolio.Performance_files", "storedfile_id"),
        ("portfolio.ReplacedFile", "stored_file_id"),
        ("curriculum.CounsellingRecord", "stored_file_id"),
        ("admissions.ApplicationItem", "stored_file_id"),
    } <= found


def test_a_row_nothing_refers_to_is_unreferenced(student):
    stored = store_upload(
        upload("孤兒.pdf", samples.pdf_bytes()), rules.DOCUMENT, owner=student, uploaded_by=None
    )
    assert list(unreferenced_files()) == [stored]


def test_bytes_without_a_row_are_found_on_both_back_ends(backend, student):
    """Only names store_upload makes count; uploads younger than the grace time are skipped."""
    stored = store_upload(
        upload("有紀錄.pdf", samples.pdf_bytes()), rules.DOCUMENT, owner=student, uploaded_by=None
    )
    stray = _bytes_at(f"2026/01/{uuid.uuid4().hex}.pdf")
    _bytes_at("imports/2026/名單.csv")  # another app's file in the same storage
    assert list(unrecorded_names(now=LATER)) == [("unrecorded", stray)]
    assert stored.storage_name not in {name for _, name in unrecorded_names(now=LATER)}
    assert list(unrecorded_names()) == []  # just written: could be an upload in flight


def test_command_reports_orphans_and_deletes_nothing(student, capsys):
    """``manage.py evidence_orphans`` lists every kind of orphan and exits non-zero."""
    call_command("evidence_orphans")
    assert "OK" in capsys.readouterr().out
    stored = store_upload(
        upload("孤兒.pdf", samples.pdf_bytes()), rules.DOCUMENT, owner=student, uploaded_by=None
    )
    stray = _bytes_at(f"2026/01/{uuid.uuid4().hex}.pdf")
    partial = _bytes_at("2026/01/.upload-abc123.part")
    for name in (stray, partial):
        _age(name, hours=2)
    with pytest.raises(CommandError, match="3 orphans"):
        call_command("evidence_orphans")
    out = capsys.readouterr().out
    assert f"UNREFERENCED {stored.pk} {stored.storage_name}" in out
    assert f"UNRECORDED {stray}" in out and f"TEMPORARY {partial}" in out
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert all(default_storage.exists(n) for n in (stray, partial, stored.storage_name))
