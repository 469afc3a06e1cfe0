"""The PostgreSQL back-end's health check (licheng/lib/postgresql): a connection with nothing
waiting on its socket is used without a ``SELECT 1``; one the server has ended is found out and
replaced before the request's first query, as Django's own check would."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections


@pytest.fixture
def own_connection():
    if connection.vendor != "postgresql":
        pytest.skip("the health check is PostgreSQL's (SQLite has no server to lose)")
    conn = connections.create_connection("default")
    conn.ensure_connection()
    conn.close_if_unusable_or_obsolete()  # what request_started does: a check is due
    yield conn
    conn.close()


def _no_select_1(conn, monkeypatch):
    def refuse():
        raise AssertionError("a SELECT 1 was sent")

    monkeypatch.setattr(conn, "is_usable", refuse)


@pytest.mark.django_db(transaction=True)
def test_a_quiet_connection_is_used_without_a_round_trip(own_connection, monkeypatch):
    _no_select_1(own_connection, monkeypatch)
    own_connection.close_if_health_check_failed()
    assert own_connection.health_check_done
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_first_query(own_connection):
    """A failover or restart ends the server's side: the check sees it and reconnects, so the
    request's own query succeeds on a new connection."""
    old_pid = own_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    poller = select.poll()
    poller.register(own_connection.connection.pgconn.socket, select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50) and time.monotonic() < deadline:
        pass  # the server's goodbye is on its way
    own_connection.close_if_health_check_failed()
    assert own_connection.connection is None  # found out and closed
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_gets_djangos_check(own_connection, monkeypatch):
    """Not idle (a transaction left open): no guess from the socket, Django's SELECT 1 decides."""
    own_connection.connection.execute("BEGIN")
    asked = []
    monkeypatch.setattr(own_connection, "is_usable", lambda: asked.append(1) or True)
    own_connection.close_if_health_check_failed()
    assert asked == [1]
    own_connection.connection.execute("ROLLBACK")


@pytest.mark.django_db(transaction=True)
def test_the_check_is_done_once_per_request(own_connection, monkeypatch):
    own_connection.close_if_health_check_failed()
    _no_select_1(own_connection, monkeypatch)
    monkeypatch.setattr(type(own_connection), "_quiet", lambda self: pytest.fail("checked again"))
    own_connection.close_if_health_check_failed()
