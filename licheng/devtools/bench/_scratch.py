"""A throwaway site for a benchmark: its own var/ and SQLite database, Django set up and migrated."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_site(**env: str) -> Iterator[Path]:
    """Yield the scratch var/ folder (removed afterwards); ``env`` adds LICHENG_* settings."""
    root = Path(tempfile.mkdtemp(prefix="licheng-bench-"))
    try:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "licheng.settings",
                "LICHENG_VAR_DIR": str(root),
                "LICHENG_SQLITE_PATH": str(root / "bench.sqlite3"),
                "LICHENG_LOG_LEVEL": "ERROR",
                **env,
            }
        )
        os.environ.pop("LICHENG_DATABASE_URL", None)  # always the scratch SQLite, never a real one
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
