"""Fault test: the central repository process is killed while ingesting a package.

Afterwards nothing is half-stored (no submission, no rows), re-sending completes the package, and
verification re-reads every stored file and finds its SHA-256 right.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .packages import file_entry, manifest, outcome, student_entry

ROOT = Path(__file__).resolve().parents[2]


def _child(mode: str, work: Path, env: dict[str, str], **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.central.fault_child", mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _run(mode: str, work: Path, env: dict[str, str]) -> dict:
    proc = _child(mode, work, env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _package(work: Path) -> int:
    """A package of 12 students with 2 files each (24 files of 64–90 KB)."""
    from licheng.lib.exchange import write_package

    students, sources = [], {}
    for n in range(12):
        items = []
        for k in range(2):
            content = os.urandom(64_000 + 1000 * (n * 2 + k))
            path = work / f"f{n}-{k}.pdf"
            path.write_bytes(content)
            entry = file_entry(content)
            sources[entry["sha256"]] = path
            items.append(outcome(f"o{n}-{k}", files=[entry]))
        students.append(
            student_entry(national_id=f"A1{n:08d}", items=items, student_number=f"113{n:04d}")
        )
    write_package(manifest(students=students), sources, work / "package.zip")
    return len(sources)


@pytest.mark.slow
def test_killed_mid_ingest_then_resend_completes(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "licheng.settings",
        "LICHENG_VAR_DIR": str(tmp_path),
        "LICHENG_SQLITE_PATH": str(tmp_path / "central.sqlite3"),
        "LICHENG_MEDIA_ROOT": str(tmp_path / "files"),
        "LICHENG_LOG_LEVEL": "ERROR",
        "FAULT_WORK": str(tmp_path),
    }
    env.pop("LICHENG_DATABASE_URL", None)  # the child owns a throwaway SQLite file
    env.pop("LICHENG_S3_BUCKET", None)
    _run("setup", tmp_path, env)
    file_count = _package(tmp_path)

    victim = _child("send-and-die", tmp_path, env)
    deadline = time.monotonic() + 60
    while not (tmp_path / "midway").exists():
        assert victim.poll() is None, victim.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the child never reached the middle of the ingest"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)

    after_kill = _run("check", tmp_path, env)
    assert after_kill == {"submissions": 0, "blobs": 0, "files": 0, "checked": 0, "failed": []}

    resent = _run("send", tmp_path, env)
    assert resent["status"] == 200, resent
    assert [s["status"] for s in resent["body"]["students"]] == ["new"] * 12

    final = _run("check", tmp_path, env)
    assert final == {
        "submissions": 1,
        "blobs": file_count,
        "files": file_count,
        "checked": file_count,
        "failed": [],
    }
