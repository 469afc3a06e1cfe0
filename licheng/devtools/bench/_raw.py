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
        with open(path, "wb") as out:
            for start in range(0, len(data), 256 * 1024):
                chunk = data[start : start + 256 * 1024]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
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


def sample_pdfs(count: int, seed: int = 5) -> list[bytes]:
    """``count`` real PDFs of 1–4 MB."""
    import random

    from licheng.devtools import samples

    rng = random.Random(seed)
    return [
        samples.pdf_bytes(f"bench {i}", pad_to=rng.randint(1_000_000, 3_900_000))
        for i in range(count)
    ]
