"""Bytes follow their rows (寫入失敗時清除): an upload whose row is rolled back loses its bytes.

``store_upload`` writes the bytes before the row. When a later step of the same domain function
fails (the third of three proofs is refused, the media file of an outcome is too large), the
transaction rolls the first files' rows back and their bytes would stay on storage, recorded
nowhere. ``bytes_follow_rows`` wraps such a function, outside its ``transaction.atomic``: if it
raises, the exception has left the function's atomic block, so the rows of the files it stored
are gone for certain, and their bytes are deleted too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.core.files.storage import default_storage

P = ParamSpec("P")
R = TypeVar("R")

_written: ContextVar[list[str] | None] = ContextVar("licheng_evidence_written", default=None)


def note_written(storage_name: str) -> None:
    """Called by store_upload once a file's row exists; remembered by the innermost wrapper."""
    names = _written.get()
    if names is not None:
        names.append(storage_name)


def bytes_follow_rows(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a domain function (above its ``@transaction.atomic``) that stores uploads."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _written.get()
        names: list[str] = []
        token = _written.set(names)
        try:
            result = func(*args, **kwargs)
        except BaseException:
            for name in names:
                default_storage.delete(name)
            raise
        finally:
            _written.reset(token)
        if outer is not None:
            # An enclosing wrapper's transaction may still roll these rows back.
            outer.extend(names)
        return result

    return wrapper
