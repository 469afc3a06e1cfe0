"""The deadline-day bench's own parts: the load generator's connection and the raw loop."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from licheng.devtools.bench._raw import raw_ceiling
from licheng.devtools.loadrig import ClientConnection


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep the connection open, to look at its socket

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _may_choose_cubic() -> bool:
    with socket.socket() as probe:
        try:
            probe.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
        except OSError:
            return False
    return True


def test_the_load_generator_sends_without_pacing_where_it_may(echo_server):
    """A student's browser paces its sends on its own machine; the load generator, on the
    server's, uses cubic (no pacing timers) when this user may choose it, else the default."""
    conn = ClientConnection("127.0.0.1", echo_server, timeout=10)
    body = bytes(range(256)) * 4096  # 1 MB
    conn.request("POST", "/", body=body)
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == body
    chosen = conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0")
    if _may_choose_cubic():
        assert chosen == b"cubic"
    else:
        assert chosen  # the machine's default, still a working connection
    assert conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    conn.close()


def test_the_raw_loop_writes_hashes_and_cleans_up(tmp_path):
    files = [bytes([i]) * (300_000 + i) for i in range(5)]
    result = raw_ceiling(files, tmp_path / "raw")
    assert result["files_per_s"] > 0
    assert result["mb_per_s"] > 0
    assert result["cpu_ms_per_file"] >= 0
    assert list((tmp_path / "raw").iterdir()) == []  # nothing of the loop is left behind
