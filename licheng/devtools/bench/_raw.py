"""The raw ceiling: the same bytes written, fsynced and SHA-256-hashed by a plain loop."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path


def raw_ceiling(files: list[bytes], directory: Path) -> dict[str, float]:
    directory.mkdir(parents=True, exist_ok=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    for i, data in enumerate(files):
        digest = hashlib.sha256()
        path = directory / f"raw-{i}.bin"
        # Chunks are views, not copies: a sliced copy of 256 KB is a fresh allocation that
        # glibc serves from mmap or from a trimmed heap depending on what the process freed
        # before, which made this loop swing 3x (2 to 7 ms of CPU per file) between rounds.
        view = memoryview(data)
        with open(path, "wb") as out:
            for start in range(0, len(data), 256 * 1024):
                chunk = view[start : start + 256 * 1024]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            # Its pages are dropped once durable, as the server drops a stored file's
            # (evidence/storage.py), so the next file reuses them. Kept, every file's pages were
            # memory the VM's host had to back first: in the deadline-day bench the loop ran at
            # 114-127 files/s in every round (writes 5.5 ms of CPU per file, not 0.4); dropped,
            # 294-336 files/s. The ceiling is the machine's best, so the loop does what is fastest.
            os.posix_fadvise(out.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        digest.hexdigest()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    for path in directory.glob("raw-*.bin"):
        path.unlink()
    total = sum(len(d) for d in files)
    return {
        "files_per_s": len(files) / elapsed,
        "mb_per_s": total / elapsed / 1e6,
        "cpu_ms_per_file": 1000 * cpu / len(files),
    }


def settle_disk(path: Path, timeout: float = 120.0) -> None:
    """Wait until the disk under ``path`` has stopped writing and discarding. This machine's
    file system discards the blocks of deleted files (mount option ``discard``): after a
    round deleted 10 GB, the next measurement otherwise ran beside the discards and the
    baseline slowed 2.5× from round to round."""
    device = os.stat(path).st_dev
    stat = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}/stat")
    if not stat.exists():
        return

    def busy() -> tuple[int, ...]:
        fields = [int(v) for v in stat.read_text().split()]
        # sectors written, in flight, sectors discarded (when the kernel counts discards)
        return (fields[6], fields[8], *fields[13:14])

    deadline, quiet, last = time.monotonic() + timeout, 0, busy()
    while quiet < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = busy()
        quiet = quiet + 1 if now == last and now[1] == 0 else 0
        last = now


def sample_pdfs(count: int, seed: int = 5) -> list[bytes]:
    """``count`` real PDFs of 1–4 MB, made large as scanned pages make them: by an image's
    encoded bytes (samples.pdf_bytes, ``scanned``)."""
    import random

    from licheng.devtools import samples

    rng = random.Random(seed)
    return [
        samples.pdf_bytes(f"bench {i}", pad_to=rng.randint(1_000_000, 3_900_000), scanned=True)
        for i in range(count)
    ]
