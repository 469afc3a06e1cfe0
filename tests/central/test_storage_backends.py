"""The intake stores and verifies blobs the same on disk and on S3 (moto's server mode)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from licheng.central.domain.blobs import verify_all
from licheng.central.models import Blob, blob_name
from licheng.lib.exchange import PackageError
from tests.evidence.conftest import backend, s3_endpoint  # noqa: F401 — fixtures

from .packages import manifest

pytestmark = pytest.mark.usefixtures("backend")


def test_blobs_are_stored_and_verified(ingest):
    m = manifest()
    ingest(m)
    ingest(m)  # R25: the same package again
    assert Blob.objects.count() == 1
    assert verify_all() == (1, [])


def test_bytes_that_do_not_match_are_removed(ingest):
    m = manifest()
    sha = m["students"][0]["items"][0]["files"][0]["sha256"]
    with pytest.raises(PackageError):
        ingest(m, {sha: b"%PDF-1.4 oX"})  # same size, other bytes
    assert Blob.objects.count() == 0
    assert not default_storage.exists(blob_name(sha))
