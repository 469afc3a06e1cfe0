"""The menu: one entry per built feature, shown to the roles that may use it.

A feature adds its entry here when it is built; nothing unbuilt appears (no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role


@dataclass(frozen=True)
class MenuEntry:
    label: Any
    url_name: str
    roles: frozenset[Role]


ENTRIES: list[MenuEntry] = [
    MenuEntry(_("首頁"), "web:dashboard", frozenset(Role)),
    MenuEntry(_("學校設定"), "web:school_settings", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("作業期程"), "web:school_windows", frozenset({Role.SCHOOL_ADMIN})),
    MenuEntry(_("稽核紀錄"), "web:audit_log", frozenset({Role.SCHOOL_ADMIN, Role.CENTRAL_ADMIN})),
    MenuEntry(_("帳號設定"), "web:account", frozenset(Role)),
]


def _entries() -> list[MenuEntry]:
    from .routes import AREAS

    # The account entry stays last; each area's entries come before it.
    extra = [e for area in AREAS for e in area.MENU]
    return ENTRIES[:-1] + extra + ENTRIES[-1:]


def menu_for(user) -> list[dict[str, str]]:
    roles = user.role_set
    return [
        {"label": str(e.label), "url": reverse(e.url_name), "name": e.url_name}
        for e in _entries()
        if roles & {r.value for r in e.roles}
    ]
