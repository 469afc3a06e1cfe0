"""A production-like site on this machine, and HTTP clients for it (deadline-day bench, crash test).

``Site`` runs ``manage.py migrate`` and ``bench_site`` against a database (SQLite file or a
PostgreSQL URL), then gunicorn in its own process group, with files under its own var/ folder.
``Student`` logs in through the real login form and uploads through the real upload page,
using only the standard library (http.client), from whatever process or thread calls it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    var_dir: Path
    database_url: str = ""
    workers: int = 4
    threads: int = 1
    # Seconds gunicorn keeps an idle connection open (its default is 2). 0: one request per
    # connection, so every upload goes to whichever worker is free instead of the one that
    # happened to accept the student's first connection.
    keepalive: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "licheng.settings",
            "LICHENG_VAR_DIR": str(self.var_dir),
            "LICHENG_SQLITE_PATH": str(self.var_dir / "site.sqlite3"),
            "LICHENG_LOG_LEVEL": "WARNING",
            "LICHENG_AXES_ENABLED": "0",  # 100 logins from one address are the test, not an attack
            "LICHENG_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        env.pop("LICHENG_DATABASE_URL", None)
        if self.database_url:
            env["LICHENG_DATABASE_URL"] = self.database_url
        return env

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def prepare(self, students: int) -> dict:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--verbosity", "0")
        return json.loads(
            self.manage("bench_site", "--students", str(students)).strip().splitlines()[-1]
        )

    def start(self) -> None:
        cmd = [
            sys.executable, "-m", "gunicorn", "licheng.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--threads", str(self.threads), "--timeout", "120", "--log-level", "warning",
            "--keep-alive", str(self.keepalive), "--config", "python:licheng.ops.gunicorn_config",
        ]  # fmt: skip
        log = open(self.var_dir / "gunicorn.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/login/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see gunicorn.log")

    def kill(self) -> None:
        """SIGKILL the whole server (master and workers), as a crash or a power cut would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


class ClientConnection(http.client.HTTPConnection):
    """An HTTP connection that sends like a student's own machine would, seen from the server.

    This machine's default congestion control is BBR, which paces every send with kernel timers.
    On loopback, those timers and the sender's TCP work fire on the same two cores as the server,
    often inside a gunicorn worker, and are charged to it: 0.6–1.1 ms of the server's CPU per
    2.5 MB upload, measured side by side. A real student's browser paces on its own machine, so
    the load generator uses cubic (no pacing), or keeps the default where it may not choose.
    """

    CONGESTION_CONTROL = b"cubic"

    def connect(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Not allowed for this user, or not in this kernel: the default stays.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, self.CONGESTION_CONTROL)
        sock.settimeout(self.timeout)
        try:
            sock.connect((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as http.client does
        self.sock = sock


class Student:
    """One student's browser: cookies, CSRF token, a keep-alive connection."""

    def __init__(self, port: int, school: str, number: str, password: str, timeout: float = 120):
        self.port, self.school, self.number, self.password = port, school, number, password
        self.cookies: dict[str, str] = {}
        self.timeout = timeout
        self.conn = ClientConnection("127.0.0.1", port, timeout=timeout)

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed the idle keep-alive connection; a browser reconnects and sends
            # the request again, and so do we (once: a second failure is a real error).
            self.conn.close()
            self.conn = ClientConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data, dict(response.headers)

    def login(self) -> None:
        self.request("GET", "/login/")
        form = urlencode({"school": self.school, "username": self.number, "password": self.password,
                          "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()  # fmt: skip
        status, body, _ = self.request(
            "POST", "/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"login failed: {status} {body[:300]!r}")

    def open_page(self) -> None:
        status, _body, _ = self.request("GET", "/outcomes/")
        if status != 200:
            raise RuntimeError(f"page failed: {status}")

    @staticmethod
    def outcome_form(course: int, pdf: bytes, name: str = "成果.pdf") -> tuple[str, bytes]:
        """The upload form's body, as the browser would have it ready when the student clicks."""
        fields = {"course": str(course), "title": "專題報告", "action": "submit",
                  "description": "我負責實驗設計，學到控制變因，下次會增加樣本數。"}  # fmt: skip
        return multipart(fields, {"document": (name, pdf, "application/pdf")})

    def upload_outcome(self, course: int, pdf: bytes, name: str = "成果.pdf") -> int:
        return self.post_outcome(self.outcome_form(course, pdf, name))

    def post_outcome(self, form: tuple[str, bytes]) -> int:
        content_type, body = form
        status, data, _ = self.request("POST", "/outcomes/", body, {"Content-Type": content_type})
        if status != 302:
            match = re.search(rb'class="errors"[^>]*>(.*?)</ul>', data, re.S)
            raise RuntimeError(
                f"upload failed: {status} {match.group(1)[:300] if match else data[:200]!r}"
            )
        return len(body)


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, ctype) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)
