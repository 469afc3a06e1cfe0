"""Logins per second through the real login view, with the production argon2 hasher.

One staff account in a throwaway SQLite database; each round posts the login form with Django's
test client (form, authentication backend, django-axes, session write) and logs out. The cost is
almost all argon2id, at the parameters of ``accounts.hashers.PortfolioArgon2Hasher``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

TITLE = "Login throughput (argon2)"
COMMAND = "make bench BENCH=login_throughput"
SECONDS = 8.0  # measuring window; the whole benchmark stays well under 30 s


def run() -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="licheng-bench-"))
    try:
        return _measure(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _measure(root: Path) -> dict[str, object]:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "licheng.settings",
            "LICHENG_VAR_DIR": str(root),
            "LICHENG_SQLITE_PATH": str(root / "bench.sqlite3"),
            "LICHENG_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("LICHENG_DATABASE_URL", None)
    os.environ.pop("LICHENG_FAST_HASHER", None)
    import django

    django.setup()
    from django.contrib.auth.hashers import get_hasher
    from django.core.management import call_command
    from django.test import Client

    from licheng.accounts.models import User

    call_command("migrate", verbosity=0)
    password = "Bench-Passw0rd-2024"
    User.objects.create_user(username="bench-central", password=password)
    hasher = get_hasher()  # the production default is measured
    client = Client()

    logins = 0
    started = time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        response = client.post("/login/", {"username": "bench-central", "password": password})
        assert response.status_code == 302, response.status_code
        client.post("/logout/")
        logins += 1
    elapsed = time.perf_counter() - started
    return {
        "logins per second (one process)": round(logins / elapsed, 2),
        "mean ms per login + logout": round(1000 * elapsed / logins, 1),
        "logins measured": logins,
        "hasher": f"{hasher.algorithm} (time_cost {hasher.time_cost}, "
        f"memory_cost {hasher.memory_cost} KiB, parallelism {hasher.parallelism})",
    }
