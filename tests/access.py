"""The access-control matrix: every URL pattern, visited as every member of the cast.

Each feature adds a module under ``tests/access_rows/`` with ``ROWS: list[Row]``. A row names a
URL pattern, how to build its arguments from the cast, and who may use it; everyone else must be
refused (302 to login for anonymous, 403 or 404 for the logged-in). ``test_access_matrix`` runs
them all and ``test_every_url_is_in_the_matrix`` fails when a URL pattern has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CAST = (
    "anonymous",
    "student",
    "other_student",
    "teacher",
    "other_teacher",
    "parent",
    "school_admin",
    "central_admin",
    "reviewer",
    "committee",
)
EVERYONE = frozenset(CAST)
LOGGED_IN = EVERYONE - {"anonymous"}


@dataclass(frozen=True)
class Row:
    url_name: str
    allowed: frozenset[str]
    # Builds the URL's kwargs (and any data the URL needs) from the cast fixtures dict.
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda cast: {})
    method: str = "get"
    # Status codes that count as "allowed" (a POST may redirect, a download may 200).
    ok: frozenset[int] = frozenset({200})
    query: str = ""
    # Who is refused with 404 rather than 403 is a detail; both are refusals.
    note: str = ""


def rows() -> list[Row]:
    import importlib
    import pkgutil

    from . import access_rows

    result: list[Row] = []
    for info in pkgutil.iter_modules(access_rows.__path__):
        module = importlib.import_module(f"{access_rows.__name__}.{info.name}")
        result.extend(module.ROWS)
    return result
