"""Crash test: kill the server (SIGKILL, master and workers) in the middle of uploads, restart it,
and ``verify_evidence`` finds nothing missing or corrupt; the site keeps working."""

from __future__ import annotations

import threading
import time

import pytest

from licheng.devtools import samples
from licheng.devtools.loadrig import Site, Student

pytestmark = pytest.mark.slow


def test_kill_mid_upload_leaves_no_missing_or_corrupt_file(tmp_path):
    site = Site(var_dir=tmp_path / "var", workers=2, threads=2)
    info = site.prepare(students=6)
    site.start()
    pdf = samples.pdf_bytes("crash", pad_to=3_900_000)
    done, failed = [], []
    stop = threading.Event()

    def keep_uploading(number: str) -> None:
        student = Student(site.port, info["school"], number, info["password"], timeout=30)
        try:
            student.login()
            while not stop.is_set():
                student.upload_outcome(info["course"], pdf)
                done.append(number)
        except Exception as exc:  # the kill resets connections: that is the point
            failed.append(repr(exc))

    threads = [threading.Thread(target=keep_uploading, args=(n,)) for n in info["students"]]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(done) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        site.kill()  # uploads are in flight right now: six clients never pause
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert len(done) >= 4 and failed, (len(done), failed[:3])

        out = site.manage("verify_evidence")
        assert out.startswith("OK: ") and "verified" in out

        site.start()  # and the site works again after the crash
        student = Student(site.port, info["school"], info["students"][0], info["password"])
        student.login()
        student.upload_outcome(info["course"], samples.pdf_bytes("after"))
        assert site.manage("verify_evidence").startswith("OK: ")
    finally:
        stop.set()
        site.stop()
