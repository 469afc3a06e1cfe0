"""Annual selection (年度勾選), submissions to the central repository (中央資料庫), receipts.

Routes, menu entries and dashboard panels of this area; `web/urls.py`, `web/menu.py` and
`web/panels.py` collect them, so areas do not edit each other's lists.
"""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
MENU: list[Any] = []  # web.menu.MenuEntry
PANELS: list[Any] = []  # callables user -> list[web.panels.Panel]
