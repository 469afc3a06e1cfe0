"""The throwaway PostgreSQL cluster ``make test`` runs the second pass in."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from licheng.devtools import pgcluster
from licheng.devtools.testrun import require_all


@pytest.fixture
def pg_binaries() -> None:
    if not pgcluster.available():
        message = "!!! PostgreSQL 15 binaries not found: pgcluster not tested !!!"
        if require_all():
            pytest.fail(f"{message} (LICHENG_REQUIRE_ALL=1)", pytrace=False)
        pytest.skip(message)


def test_cluster_starts_answers_and_is_removed_on_stop(pg_binaries):
    cluster = pgcluster.start()
    root = Path(cluster.root)
    try:
        with psycopg.connect(
            host=cluster.root, port=cluster.port, user=cluster.user, dbname=cluster.dbname
        ) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
        assert cluster.url.startswith(f"postgresql://postgres@127.0.0.1:{cluster.port}/licheng?")
    finally:
        cluster.stop()

    assert not root.exists()


def test_run_returns_the_command_exit_code(pg_binaries):
    assert pgcluster.run(["sh", "-c", 'test -n "$LICHENG_DATABASE_URL" && exit 3']) == 3
