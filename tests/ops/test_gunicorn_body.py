"""A request body read straight from the socket (licheng/ops/gunicorn_body.py) gives what
gunicorn's own ``Body`` gives: the same bytes for any body, any sequence of reads and lines, any
way the bytes arrive; a short body when the client leaves; a connection gunicorn closes after a
failed read; and the next request on a kept-alive connection found where it starts."""

from __future__ import annotations

import socket
import threading

import pytest
from gunicorn.config import Config
from gunicorn.http.body import Body
from gunicorn.http.parser import RequestParser
from hypothesis import given, settings
from hypothesis import strategies as st

from licheng.ops import gunicorn_config
from licheng.ops.gunicorn_body import DirectBody, read_from_socket


def _request(body: bytes, *, length: int | None = None, extra: bytes = b"") -> bytes:
    head = (
        b"POST /outcomes/ HTTP/1.1\r\nHost: x\r\n"
        + f"Content-Length: {len(body) if length is None else length}\r\n\r\n".encode()
    )
    return head + body + extra


class _Client:
    """The other end of a socket, sending ``data`` in ``pieces`` from its own thread."""

    def __init__(self, data: bytes, pieces: list[int] | None = None, *, close: bool = True):
        self.server, self.client = socket.socketpair()
        self.thread = threading.Thread(target=self._send, args=(data, pieces or [], close))
        self.thread.start()

    def _send(self, data: bytes, pieces: list[int], close: bool) -> None:
        start = 0
        for size in pieces:
            self.client.sendall(data[start : start + size])
            start += size
        self.client.sendall(data[start:])
        if close:
            self.client.shutdown(socket.SHUT_WR)

    def parser(self) -> RequestParser:
        return RequestParser(Config(), self.server, ("127.0.0.1", 1))

    def close(self) -> None:
        self.thread.join(5)
        self.server.close()
        self.client.close()


def _reads(request, operations) -> list[bytes]:
    out = []
    for kind, size in operations:
        out.append(request.body.readline(size) if kind == "line" else request.body.read(size))
    out.append(request.body.read())
    return out


operations = st.lists(
    st.tuples(
        st.sampled_from(["read", "read", "read", "line"]),
        st.one_of(st.none(), st.integers(min_value=-1, max_value=200_000)),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    body=st.binary(max_size=300_000) | st.builds(lambda n: b"line\n" * n, st.integers(0, 3000)),
    pieces=st.lists(st.integers(min_value=1, max_value=70_000), max_size=6),
    operations=operations,
)
def test_direct_body_reads_what_gunicorns_body_reads(body, pieces, operations):
    """Any body, sent in any pieces, read by any reads and lines: the same bytes as gunicorn."""
    results = []
    for direct in (False, True):
        client = _Client(_request(body), pieces)
        try:
            request = next(client.parser())
            if direct:
                read_from_socket(request)
                assert type(request.body) is DirectBody
            results.append(_reads(request, operations))
        finally:
            client.close()
    assert results[0] == results[1]
    assert b"".join(results[1]) == body


def test_a_read_returns_all_it_asked_for_when_the_bytes_come_in_pieces():
    """A read of a given size gets exactly that many bytes (Django's ``request.body`` reads the
    whole length in one call), however the sender split them."""
    body = bytes(range(256)) * 4000
    client = _Client(_request(body), [100, 5000, 7, 60_000, 1])
    try:
        request = next(client.parser())
        read_from_socket(request)
        assert request.body.read(len(body)) == body
        assert request.body.read(10) == b""
    finally:
        client.close()


def test_a_client_that_leaves_early_gives_a_short_body_as_with_gunicorn():
    """Content-Length promises more than arrives: the reads end short, no exception, as
    gunicorn's own body does; the upload's reader then refuses the truncated form (400)."""
    for direct in (False, True):
        client = _Client(_request(b"x" * 50_000, length=80_000))
        try:
            request = next(client.parser())
            if direct:
                read_from_socket(request)
            assert len(request.body.read(80_000)) == 50_000
            assert request.body.read(1000) == b""
        finally:
            client.close()


def test_a_failed_read_marks_the_body_so_gunicorn_closes_the_connection():
    client = _Client(_request(b"y" * 10_000, length=1_000_000), close=False)
    try:
        parser = client.parser()
        request = next(parser)
        read_from_socket(request)
        request.body.read(10_000)
        client.server.settimeout(0.05)
        with pytest.raises(TimeoutError):
            request.body.read(1000)
        assert request.body.failed is True
        assert parser.finish_body() is False  # gunicorn will not reuse the connection
    finally:
        client.close()


def test_the_next_request_on_a_kept_alive_connection_is_found_after_a_partial_read():
    """What the application left unread is drained through the direct body, so the parser
    finds the next request where it starts."""
    second = b"GET /next/ HTTP/1.1\r\nHost: x\r\n\r\n"
    client = _Client(_request(b"z" * 200_000, extra=second))
    try:
        parser = client.parser()
        request = next(parser)
        read_from_socket(request)
        assert request.body.read(70_000) == b"z" * 70_000
        following = next(parser)
        assert (following.method, following.path) == ("GET", "/next/")
    finally:
        client.close()


def test_chunked_bodies_and_bodies_begun_by_gunicorn_keep_gunicorns_reading():
    chunked = (
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    client = _Client(chunked)
    try:
        request = next(client.parser())
        read_from_socket(request)
        assert type(request.body) is Body
        assert request.body.read() == b"hello"
    finally:
        client.close()

    client = _Client(_request(b"first line\nrest"))
    try:
        request = next(client.parser())
        assert request.body.readline() == b"first line\n"
        read_from_socket(request)  # begun: its buffer holds bytes a direct body would skip
        assert type(request.body) is Body
        assert request.body.read() == b"rest"
    finally:
        client.close()


def test_the_production_config_installs_it_before_the_application_runs():
    client = _Client(_request(b"abc"))
    try:
        request = next(client.parser())

        class Worker:
            class log:
                @staticmethod
                def debug(*args):
                    pass

        gunicorn_config.pre_request(Worker, request)
        assert type(request.body) is DirectBody
        assert request.body.read(3) == b"abc"
    finally:
        client.close()
