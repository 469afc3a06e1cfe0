"""Who may read a stored file: a registry other apps add their rules to.

Evidence does not know what a file is attached to. The app that attaches files to its items
(portfolio's outcomes, curriculum's counselling records, parents' bindings) registers a rule
``(user, stored_file) -> bool``; a file is readable if any rule allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from licheng.accounts.enums import Role

from .models import StoredFile

ReadRule = Callable[[Any, StoredFile], bool]
_RULES: list[ReadRule] = []


def register_reader(rule: ReadRule) -> ReadRule:
    """Add a rule (usable as a decorator); registering the same function twice is harmless."""
    if rule not in _RULES:
        _RULES.append(rule)
    return rule


def may_read(user: Any, stored: StoredFile) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(rule(user, stored) for rule in _RULES)


@register_reader
def owner_or_uploader(user: Any, stored: StoredFile) -> bool:
    """The student the file belongs to, and whoever uploaded it."""
    if stored.uploaded_by_id == user.pk:
        return True
    return stored.owner is not None and stored.owner.user_id == user.pk


@register_reader
def school_administrator(user: Any, stored: StoredFile) -> bool:
    """Administrators of the owner's school."""
    return stored.owner is not None and user.has_role(Role.SCHOOL_ADMIN, stored.owner.school_id)
