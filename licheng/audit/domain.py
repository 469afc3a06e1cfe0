"""Writing audit entries (稽核紀錄). Every domain function that changes state calls ``record``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from licheng.lib.i18n import in_source_language
from licheng.lib.rows import insert_new

from .context import current
from .models import AuditEntry

_held: ContextVar[list[AuditEntry] | None] = ContextVar("audit_entries_held", default=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    school: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Write one audit entry. ``actor`` is a user or None (the system, an API key, an anonymous
    visitor: say which in ``actor_label``). Inside ``written_together`` the entry is written
    with the others when that block ends."""
    ctx = current.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if school is None and obj is not None:
        school = getattr(obj, "school", None)
    entry = AuditEntry(
        actor=actor,
        actor_label=actor_label or (str(actor) if actor is not None else "")[:200],
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        # Kept text: zh-Hant whatever language the actor reads (a label inside may be lazy).
        object_repr=in_source_language(obj)[:200] if obj is not None else "",
        school=school,
        ip=ctx.ip,
        request_id=ctx.request_id,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    held = _held.get()
    if held is None:
        insert_new(entry)
    else:
        held.append(entry)
    return entry


@contextmanager
def written_together() -> Iterator[None]:
    """Hold the entries recorded inside and write them in one INSERT when the block ends.

    For a state change that records several entries (an upload: the file kept, then the
    outcome): one statement instead of one each. Use it inside the change's transaction, as a
    decorator under ``transaction.atomic``: the entries are written before it commits, and an
    error inside writes none of them, as the rolled-back change wants.
    """
    token = _held.set([])
    try:
        yield
        entries = _held.get() or []
    finally:
        _held.reset(token)
    insert_new(*entries)


def changes(
    instance: models.Model, fields: list[str], new_values: dict[str, Any]
) -> tuple[dict, dict]:
    """Before/after dicts of just the fields whose value changes."""
    before, after = {}, {}
    for name in fields:
        if name in new_values and getattr(instance, name) != new_values[name]:
            before[name] = getattr(instance, name)
            after[name] = new_values[name]
    return before, after
