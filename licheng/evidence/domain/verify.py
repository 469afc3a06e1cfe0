"""Verifying the store (檔案驗證): every stored file is present and hashes to what was recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from ..models import StoredFile
from .files import file_digest


@dataclass(frozen=True)
class Problem:
    stored: StoredFile
    kind: str  # "missing" or "corrupt"
    detail: str


def problems(queryset=None) -> Iterator[Problem]:
    """Missing and corrupt files, one by one (the store may be large: nothing is held in memory)."""
    files = queryset if queryset is not None else StoredFile.objects.order_by("created_at")
    for stored in files.iterator(chunk_size=500):
        if not default_storage.exists(stored.storage_name):
            yield Problem(stored, "missing", "檔案不存在")
            continue
        size, sha256 = file_digest(stored)
        if size != stored.size or sha256 != stored.sha256:
            yield Problem(
                stored,
                "corrupt",
                f"大小 {size}（應為 {stored.size}），SHA-256 {sha256[:12]}…（應為 {stored.sha256[:12]}…）",
            )
