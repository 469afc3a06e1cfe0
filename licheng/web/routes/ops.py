"""Operations (維運): health probes, Prometheus metrics, the backup status for central administrators.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import Role
from licheng.ops.domain.backups import is_stale, last_verified

from ..menu import MenuEntry
from ..panels import Panel
from ..views import ops

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("central/backups/", ops.backups, name="ops_backups"),
    path("central/backups/run/", ops.backup_now, name="ops_backup_now"),
]

MENU = [MenuEntry(_("備份紀錄"), "web:ops_backups", frozenset({Role.CENTRAL_ADMIN}))]


def backup_panel(user: Any) -> list[Panel]:
    """The newest verified backup, red when older than 26 hours (or none at all)."""
    if not user.has_role(Role.CENTRAL_ADMIN):
        return []
    run = last_verified()
    return [Panel("web/ops/backup_panel.html", {"run": run, "stale": is_stale(run)})]


PANELS = [backup_panel]
