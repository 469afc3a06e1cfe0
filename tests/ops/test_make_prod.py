"""``make prod`` end to end: it starts, prints its address, serves, and Ctrl-C stops every
process it started (PostgreSQL included)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from licheng.devtools import pgcluster
from licheng.devtools.prod import ROOT, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not pgcluster.available(), reason="PostgreSQL 15 binaries not found"),
    pytest.mark.skipif(
        bool(os.environ.get("LICHENG_DATABASE_URL")), reason="run once, in the SQLite pass"
    ),
]


def test_make_prod_serves_and_stops_everything_on_ctrl_c():
    # Not pytest's tmp_path: PostgreSQL's own user must be able to reach the cluster directory.
    var = Path(tempfile.mkdtemp(prefix="licheng-prod-"))
    var.chmod(0o755)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "licheng.devtools.prod", "--port", str(port), "--workers", "2",
         "--var", str(var)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output = []
    try:
        deadline = time.monotonic() + 240
        for line in proc.stdout:
            output.append(line)
            if "Ctrl-C stops everything" in line or time.monotonic() > deadline:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}/" in text, text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as response:
            page = response.read().decode()
        assert "登入" in page
        # Static files collected with hashed names, served by whitenoise with far-future caching.
        css = re.search(r'href="(/static/licheng/css/site\.[0-9a-f]{12}\.css)"', page)
        assert css, page[:2000]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css.group(1)}", timeout=10) as r:
            assert r.status == 200 and "immutable" in r.headers["Cache-Control"]

        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=90)
        assert proc.returncode == 0
        assert "Stopped." in rest
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3)
        assert not (var / "prod-pg" / "data" / "postmaster.pid").exists()
        leftovers = subprocess.run(
            ["pgrep", "-f", str(var)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert leftovers == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        cluster_dir = var / "prod-pg"
        if (cluster_dir / "cluster.json").exists():
            pgcluster.stop(pgcluster.load(cluster_dir))
        shutil.rmtree(var, ignore_errors=True)
