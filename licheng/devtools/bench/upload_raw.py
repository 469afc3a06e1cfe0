"""The upload path in one process (validation, atomic fsynced write, SHA-256, database row)
against the raw ceiling: the same 1–4 MB PDFs written, fsynced and hashed by a plain loop.

Shows what validation and bookkeeping cost per file, without HTTP; SQLite, files on disk.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ._raw import raw_ceiling, sample_pdfs
from ._scratch import scratch_site

TITLE = "Upload path vs raw write + fsync + SHA-256 (one process)"
COMMAND = "make bench BENCH=upload_raw"
FILES = 40


def run() -> dict[str, object]:
    with scratch_site(LICHENG_FAST_HASHER="1") as root:
        return _measure(root)


def _measure(root: Path) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from licheng.evidence import rules
    from licheng.evidence.domain.files import store_upload
    from licheng.schools.models import Student

    call_command("bench_site", students=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
    student = Student.objects.get()
    pdfs = sample_pdfs(FILES)
    raw = raw_ceiling(pdfs, root / "raw")
    started = time.perf_counter()
    for i, data in enumerate(pdfs):
        store_upload(
            SimpleUploadedFile(f"f{i}.pdf", data),
            rules.DOCUMENT,
            owner=student,
            uploaded_by=student.user,
        )
    elapsed = time.perf_counter() - started
    total = sum(len(d) for d in pdfs)
    return {
        "files (1–4 MB PDFs)": FILES,
        "raw loop: files/s": round(raw["files_per_s"], 1),
        "raw loop: MB/s": round(raw["mb_per_s"], 1),
        "store_upload: files/s": round(FILES / elapsed, 1),
        "store_upload: MB/s": round(total / elapsed / 1e6, 1),
        "store_upload / raw": f"{100 * (FILES / elapsed) / raw['files_per_s']:.0f}%",
    }
