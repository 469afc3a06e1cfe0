"""``make test``: the whole suite on SQLite (with browser tests), then again on PostgreSQL.

    python -m licheng.devtools.testrun [extra pytest args, e.g. -k login]

The PostgreSQL pass runs in a throwaway cluster (licheng.devtools.pgcluster) and skips the
browser tests: they exercise templates and JavaScript, which do not depend on the database, and
Chromium is the slowest part of the suite.

Without PostgreSQL or Chromium that part is skipped with a loud line; with LICHENG_REQUIRE_ALL=1
a missing one is a failure (CI sets it). Workers: LICHENG_TEST_WORKERS=N runs pytest-xdist with N
processes (each gets its own test database); the default is one process per pass because on a
2-core machine the per-worker migrations cost more than the tests gain.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from licheng.devtools import pgcluster

NO_TESTS_COLLECTED = 5  # pytest's exit code when a selection matches nothing


def require_all() -> bool:
    return os.environ.get("LICHENG_REQUIRE_ALL", "").strip().lower() in {"1", "true", "yes", "on"}


def chromium_path() -> Path | None:
    """The Debian Chromium the browser tests drive (never Playwright's own download)."""
    path = Path(os.environ.get("LICHENG_CHROMIUM", "/usr/bin/chromium"))
    return path if path.is_file() and os.access(path, os.X_OK) else None


def loud(message: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n!!! {message}\n{bar}\n", flush=True)


def _pytest(args: Sequence[str], env: dict[str, str]) -> tuple[int, float]:
    workers = os.environ.get("LICHENG_TEST_WORKERS", "").strip()
    cmd = [sys.executable, "-m", "pytest", *(["-n", workers] if workers not in ("", "0") else [])]
    started = time.monotonic()
    code = subprocess.run([*cmd, *args], env=env, check=False).returncode
    return code, time.monotonic() - started


def _verdict(code: int) -> str:
    if code == 0:
        return "passed"
    if code == NO_TESTS_COLLECTED:
        # A selection (-k, -m) that matches nothing in one pass is not a failure of the suite.
        return "no tests selected"
    return f"FAILED (pytest exit {code})"


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    strict = require_all()
    results: list[tuple[str, str, float]] = []
    failed = False

    if chromium_path() is None:
        failed |= strict
        loud(
            "Chromium not found (/usr/bin/chromium): browser tests are "
            + ("a FAILURE (LICHENG_REQUIRE_ALL=1)" if strict else "SKIPPED")
        )

    # The SQLite pass must not inherit a database URL from the caller's shell.
    sqlite_env = {k: v for k, v in os.environ.items() if k != "LICHENG_DATABASE_URL"}
    print("=== pass 1/2: SQLite (with browser tests) ===", flush=True)
    code, seconds = _pytest(extra, sqlite_env)
    results.append(("SQLite + browser", _verdict(code), seconds))
    failed |= code not in (0, NO_TESTS_COLLECTED)

    if pgcluster.available():
        print(
            "=== pass 2/2: PostgreSQL 15, throwaway cluster (browser tests skipped) ===", flush=True
        )
        started = time.monotonic()
        try:
            cluster = pgcluster.start()
        except pgcluster.PgClusterError as error:
            loud(f"PostgreSQL cluster did not start: {error}")
            results.append(("PostgreSQL", "FAILED (cluster did not start)", 0.0))
            failed = True
        else:
            try:
                pg_env = {**sqlite_env, "LICHENG_DATABASE_URL": cluster.url}
                code, _ = _pytest([*extra, "-m", "not browser"], pg_env)
            finally:
                cluster.stop()
            results.append(("PostgreSQL", _verdict(code), time.monotonic() - started))
            failed |= code not in (0, NO_TESTS_COLLECTED)
    else:
        failed |= strict
        loud(
            "PostgreSQL 15 binaries not found (/usr/lib/postgresql/15/bin, LICHENG_PG_BIN): "
            + ("the PostgreSQL pass is a FAILURE (LICHENG_REQUIRE_ALL=1)" if strict else "SKIPPED")
        )
        results.append(("PostgreSQL", "FAILED (missing)" if strict else "SKIPPED", 0.0))

    print("\n=== make test summary ===")
    for name, verdict, seconds in results:
        print(f"  {name:<18} {verdict:<28} {seconds:6.1f} s")
    print("  result: " + ("FAILED" if failed else "ok"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
