"""Deadline day: 100 concurrent students each log in, open their page and upload a 1–4 MB PDF,
against the production set-up on this machine (PostgreSQL 15 with fsync on, gunicorn, files on
disk). The load generator is this process (one thread per student, stdlib HTTP); the server is
gunicorn's. All students log in and open their page, then upload at once (the deadline rush),
for ROUNDS rounds. The raw ceiling is measured in the same run: the same bytes written, fsynced
and SHA-256-hashed by a plain loop. Target: uploads ≥ 50% of the raw ceiling at p95 ≤ 2 s.
Memory on this VM is slow to touch the first time (the balloon gives free pages back to its
host, which must back them again): a loop that kept writing into fresh page cache ran at 114-127
files/s instead of 290-340. So the raw loop drops each file's pages once durable, as the server
does, and every form body is built before the first round (see _measure). Each upload round is
followed by a raw loop over that round's own files, both on a settled disk, and the ratio is
taken against the best raw loop of the run: the hardest ceiling to reach. The per-round pairs
are listed too.

The CPU each part used per upload (gunicorn's workers, PostgreSQL, the load generator) is read
from /proc, against the raw loop's CPU per file: it says how far the server is from the bytes.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from ._cpu import postmaster_pid, process_cpu, tree_cpu, used_between
from ._raw import raw_ceiling, sample_pdfs, settle_disk

TITLE = "Deadline day: 100 students upload at once (gunicorn + PostgreSQL)"
COMMAND = "make bench BENCH=deadline_day"
STUDENTS = int(os.environ.get("LICHENG_BENCH_STUDENTS", "100"))
ROUNDS = int(os.environ.get("LICHENG_BENCH_ROUNDS", "3"))
# gunicorn's sync workers, as in production (docs/deploy.md: 2 per core plus one, gunicorn's own
# advice). Measured here on 2 cores, runs side by side: 4 workers 49-52% of the raw loop, 5
# workers 51-57%, 6 and 8 no better (8 spent 1 ms more CPU per upload). Earlier, before stored
# files' pages were dropped, 8 workers had cost a third more CPU each (fresh memory).
WORKERS = int(os.environ.get("LICHENG_BENCH_WORKERS", "5"))
THREADS = int(os.environ.get("LICHENG_BENCH_THREADS", "1"))
# Behind the load balancer (docs/deploy.md) every request is routed to a free process; a kept-
# alive connection would instead tie each student to whichever process accepted them first.
KEEPALIVE = int(os.environ.get("LICHENG_BENCH_KEEPALIVE", "0"))
# The raw loop's CPU per file when the machine is itself (≈ 2 ms here); above this it was slowed.
RAW_FULL_SPEED_MS = float(os.environ.get("LICHENG_BENCH_RAW_FULL_SPEED_MS", "3.0"))


def run() -> dict[str, object]:
    from licheng.devtools import pgcluster

    root = Path(tempfile.mkdtemp(prefix="licheng-deadline-"))
    cluster = pgcluster.start(fsync=True)  # its own folder: the postgres user cannot enter ours
    try:
        return _measure(root, cluster.url, cluster.data_dir)
    finally:
        cluster.stop(remove=True)
        shutil.rmtree(root, ignore_errors=True)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _measure(root: Path, database_url: str, data_dir: Path) -> dict[str, object]:
    from licheng.devtools.loadrig import Site, Student

    site = Site(
        var_dir=root / "var",
        database_url=database_url,
        workers=WORKERS,
        threads=THREADS,
        keepalive=KEEPALIVE,
    )
    info = site.prepare(STUDENTS)
    pdfs = sample_pdfs(STUDENTS * ROUNDS)
    # Every round's form bodies are built now, as a browser has its form ready when the student
    # clicks. Built in the student's thread after its last upload, the next round's bodies (two
    # fresh 2.5 MB copies each) were made while the others were still uploading, and their CPU
    # and fresh memory counted against the server in every round but the last.
    forms = [Student.outcome_form(info["course"], pdf) for pdf in pdfs]
    site.start()
    latencies: list[float] = []
    errors: list[str] = []
    login_times: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(STUDENTS + 1)

    def student_day(index: int, number: str) -> None:
        student = Student(site.port, info["school"], number, info["password"])
        try:
            started = time.perf_counter()
            student.login()
            student.open_page()
            with lock:
                login_times.append(time.perf_counter() - started)
        except Exception as exc:
            with lock:
                errors.append(f"login: {exc}")
        for round_no in range(ROUNDS):
            form = forms[round_no * STUDENTS + index]
            barrier.wait()
            started = time.perf_counter()
            try:
                student.post_outcome(form)
            except Exception as exc:
                with lock:
                    errors.append(f"upload: {exc}")
                continue
            ended = time.perf_counter()
            with lock:
                latencies.append(ended - started)

    threads = [
        threading.Thread(target=student_day, args=(i, n)) for i, n in enumerate(info["students"])
    ]
    try:
        settle_disk(root)
        login_started = time.perf_counter()
        for thread in threads:
            thread.start()
        rounds: list[dict[str, float]] = []
        cpu_used: dict[str, float] = {}
        for round_no in range(ROUNDS):
            if round_no:
                settle_disk(root)  # the last raw loop's deleted files are still being discarded
            barrier.wait()  # everyone is logged in (or done with the last round): go
            cpu_before = _cpu_snapshot(site, data_dir)  # after the logins' argon2, not before
            if round_no == 0:
                login_phase = time.perf_counter() - login_started
            round_started = time.perf_counter()
            while True:
                with lock:
                    finished = len(latencies) + sum(1 for e in errors if e.startswith("upload"))
                if finished >= STUDENTS * (round_no + 1):
                    break
                time.sleep(0.01)
            seconds = time.perf_counter() - round_started
            cpu_after = _cpu_snapshot(site, data_dir)
            for part in cpu_before:
                cpu_used[part] = cpu_used.get(part, 0.0) + used_between(
                    cpu_before[part], cpu_after[part]
                )
            settle_disk(root)
            raw = raw_ceiling(pdfs[round_no * STUDENTS : (round_no + 1) * STUDENTS], root / "raw")
            rounds.append({"uploads_per_s": STUDENTS / seconds, "seconds": seconds, **raw})
        for thread in threads:
            thread.join()
        verify = site.manage("verify_evidence").strip()
    finally:
        site.stop()
    upload_seconds = sum(r["seconds"] for r in rounds)
    uploads_per_s = len(latencies) / upload_seconds
    total_mb = sum(len(p) for p in pdfs) / 1e6
    per_upload = {part: 1000 * cpu / max(1, len(latencies)) for part, cpu in cpu_used.items()}

    def ratio(r: dict[str, float]) -> float:
        return r["uploads_per_s"] / r["files_per_s"]

    best = max(rounds, key=lambda r: r["files_per_s"])
    return {
        "students (concurrent)": STUDENTS,
        "uploads (1–4 MB PDFs)": f"{len(latencies)} in {ROUNDS} rounds, {total_mb:.0f} MB",
        # The interpreter matters: pyenv's default build spent ~10% more CPU per upload than
        # Debian's (profile-guided, link-time optimised), which the Makefile picks when present.
        "Python (server and load generator)": (
            f"{platform.python_version()}, {os.path.realpath(sys._base_executable)}"
        ),
        "gunicorn": (
            f"{WORKERS} workers × {THREADS} threads ({'gthread' if THREADS > 1 else 'sync'}), "
            f"keep-alive {KEEPALIVE} s"
        ),
        "login + page, all 100 (argon2)": f"{login_phase:.1f} s (p50 per student {statistics.median(login_times):.1f} s)",
        "uploads/s (all rounds)": round(uploads_per_s, 1),
        "uploads/s by round": " · ".join(f"{r['uploads_per_s']:.1f}" for r in rounds),
        "upload MB/s": round(total_mb / upload_seconds, 1),
        "upload latency p50 / p95 / p99": (
            f"{_percentile(latencies, 50):.2f} / {_percentile(latencies, 95):.2f} / "
            f"{_percentile(latencies, 99):.2f} s"
        ),
        "errors": len(errors),
        **({"first errors": " | ".join(sorted(set(errors))[:3])[:600]} if errors else {}),
        "raw ceiling (plain loop) files/s by round": " · ".join(
            f"{r['files_per_s']:.1f}" for r in rounds
        ),
        "uploads / raw ceiling, round by round": " · ".join(
            f"{100 * ratio(r):.0f}%" for r in rounds
        ),
        "uploads (all rounds) / best raw ceiling": (
            f"{100 * uploads_per_s / best['files_per_s']:.0f}%"
        ),
        "CPU per upload: gunicorn / PostgreSQL / load generator": (
            f"{per_upload['gunicorn']:.1f} / {per_upload['postgres']:.1f} / "
            f"{per_upload['load generator']:.1f} ms"
        ),
        "raw loop: CPU per file, round by round": " · ".join(
            f"{r['cpu_ms_per_file']:.1f}" for r in rounds
        )
        + " ms",
        # The ratio means something only if the raw loop ran at the machine's speed at least
        # once: in one run here every raw loop was slowed (7 ms of CPU per file instead of 2),
        # and the "ratio" read 84%.
        "raw loop at full speed in some round": (
            "yes"
            if min(r["cpu_ms_per_file"] for r in rounds) <= RAW_FULL_SPEED_MS
            else "NO: every raw loop was slowed by the machine; the ratio overstates the uploads"
        ),
        # What the CPU alone allows: every core busy, each upload costing what it cost here.
        "CPU-bound ceiling of this set-up (all cores busy)": (
            f"{1000 * (os.cpu_count() or 1) / sum(per_upload.values()):.0f} uploads/s"
        ),
        "verify_evidence after the run": verify,
    }


def _cpu_snapshot(site, data_dir: Path) -> dict[str, dict[int, float]]:
    return {
        "gunicorn": tree_cpu(site.process.pid),
        "postgres": tree_cpu(postmaster_pid(data_dir)),
        "load generator": {os.getpid(): process_cpu(os.getpid())},
    }
