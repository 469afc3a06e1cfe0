"""Listing every file a Django storage holds, on disk or on S3 (no models here)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files.storage import Storage


def walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``directory``, folders in name order."""
    try:
        subdirs, files = storage.listdir(directory)
    except FileNotFoundError:
        if directory:
            raise
        return  # a fresh install: nothing uploaded yet, so no folder
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(subdirs):
        yield from walk(storage, f"{directory}/{sub}" if directory else sub)
