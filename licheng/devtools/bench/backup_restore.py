"""Backup and restore throughput, against copying and hashing the same bytes by hand.

A throwaway SQLite database with 100,000 audit entries (rows to dump and load) and 800 stored
files of realistic sizes (60 KB – 600 KB, about 260 MB; one in ten a duplicate upload) on local
storage. Measured in the same run: a plain copy + SHA-256 of every file (the floor any backup
must pay), ``snapshot.create`` (dump + copy + hash), and ``snapshot.restore`` after wiping the
database and the storage (check the backup, load, put the files back, verify every hash and row
count).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

TITLE = "Backup and restore (manage.py backup / restore)"
COMMAND = "make bench BENCH=backup_restore"
FILES = 800
ROWS = 100_000


def run() -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="licheng-bench-"))
    try:
        return _measure(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _make_files(media: Path) -> int:
    rng = random.Random(20260301)
    total, previous = 0, b""
    for i in range(FILES):
        data = previous if previous and i % 10 == 0 else rng.randbytes(rng.randint(60_000, 600_000))
        path = media / "evidence" / f"{i % 40:02d}" / f"file-{i:04d}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
        previous = data
    return total


def _raw_copy_and_hash(media: Path, target: Path) -> float:
    started = time.perf_counter()
    for path in sorted(media.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            out = target / path.relative_to(media)
            out.parent.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as src, out.open("wb") as dst:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    dst.write(chunk)
    return time.perf_counter() - started


def _measure(root: Path) -> dict[str, object]:
    media = root / "files"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "licheng.settings",
            "LICHENG_VAR_DIR": str(root),
            "LICHENG_SQLITE_PATH": str(root / "bench.sqlite3"),
            "LICHENG_MEDIA_ROOT": str(media),
            "LICHENG_LOG_LEVEL": "ERROR",
        }
    )
    for name in ("LICHENG_DATABASE_URL", "LICHENG_S3_BUCKET"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from licheng.audit.models import AuditEntry
    from licheng.ops import snapshot

    call_command("migrate", verbosity=0)
    backups = root / "backups"

    # 1. Files: backup and restore against a plain copy + hash of the same bytes.
    total_bytes = _make_files(media)
    raw = _raw_copy_and_hash(media, root / "raw-copy")
    shutil.rmtree(root / "raw-copy")
    files_backup, files_restore, manifest, result = _round_trip(
        backups, media, snapshot, default_storage
    )
    distinct = len({f["sha256"] for f in manifest.files.values()})

    # 2. Rows: 100,000 audit entries, no files.
    shutil.rmtree(media)
    AuditEntry.objects.bulk_create(
        AuditEntry(action="bench.row", actor_label=f"bench {i}", object_id=str(i), after={"i": i})
        for i in range(ROWS)
    )
    rows_backup, rows_restore, rows_manifest, rows_result = _round_trip(
        backups, media, snapshot, default_storage
    )

    mb = total_bytes / 1e6
    return {
        "files": f"{FILES} files, {mb:.0f} MB ({distinct} distinct contents)",
        "raw copy + SHA-256 of the files (s)": round(raw, 2),
        "backup of the files (s)": round(files_backup, 2),
        "backup / raw copy": round(files_backup / raw, 2),
        "restore + verify of the files (s)": round(files_restore, 2),
        "restore / raw copy": round(files_restore / raw, 2),
        "rows": f"{rows_manifest.row_count} in {len(rows_manifest.tables)} tables",
        "backup of the rows (s)": round(rows_backup, 2),
        "restore + verify of the rows (s)": round(rows_restore, 2),
        "rows per second (backup / restore)": (
            f"{rows_manifest.row_count / rows_backup:,.0f} / {rows_manifest.row_count / rows_restore:,.0f}"
        ),
        "verified": f"{result.summary()} / {rows_result.summary()}",
    }


def _round_trip(backups, media, snapshot, storage):
    """Back up, wipe database rows and files, restore; returns both timings."""
    from licheng.audit.models import AuditEntry

    started = time.perf_counter()
    manifest = snapshot.create(backups, storage)
    backup_s = time.perf_counter() - started
    assert not manifest.problems, manifest.problems
    AuditEntry.objects.all().delete()
    shutil.rmtree(media, ignore_errors=True)
    started = time.perf_counter()
    _, result = snapshot.restore(backups, manifest.generation, storage)
    restore_s = time.perf_counter() - started
    assert result.ok, result.problems
    return backup_s, restore_s, manifest, result
