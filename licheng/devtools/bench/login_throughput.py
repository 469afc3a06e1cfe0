"""Logins per second through the real login view, with the production argon2 hasher.

One staff account in a throwaway SQLite database; each round posts the login form with Django's
test client (form, authentication backend, django-axes, session write) and logs out. The cost is
almost all argon2id, at the parameters of ``accounts.hashers.PortfolioArgon2Hasher``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ._scratch import scratch_site

TITLE = "Login throughput (argon2)"
COMMAND = "make bench BENCH=login_throughput"
SECONDS = 8.0  # measuring window; the whole benchmark stays well under 30 s


def run() -> dict[str, object]:
    os.environ.pop("LICHENG_FAST_HASHER", None)  # the production hasher is what is measured
    with scratch_site() as root:
        return _measure(root)


def _measure(root: Path) -> dict[str, object]:
    from django.contrib.auth.hashers import get_hasher
    from django.test import Client

    from licheng.accounts.models import User

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
