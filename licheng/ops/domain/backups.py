"""Scheduled, verified backups (備份排程與驗證).

The 2021 loss happened because nobody had ever restored a backup. So a run is not done when the
files are written: it restores the newest generation into a scratch database in a child process
and verifies every file's SHA-256 and every row count. Only then is the run ``verified``, and only
a verified run counts on the central administrator's dashboard.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 (see devtools/security.py)
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from licheng.audit.domain import record

from .. import snapshot
from ..enums import BackupKind, BackupStatus
from ..models import BackupRun

# The dashboard turns red when the newest verified backup is older than this.
STALE_AFTER = timedelta(hours=26)
SYSTEM = "系統排程"


def backup_root() -> Path:
    return Path(settings.BACKUP_DIR)


def queue_nightly_backup(day: date) -> BackupRun | None:
    """Reserve the nightly run for ``day``; ``None`` if another scheduler already did."""
    try:
        with transaction.atomic():
            run = BackupRun.objects.create(kind=BackupKind.SCHEDULED, scheduled_for=day)
            record("ops.backup_queued", obj=run, actor_label=SYSTEM, after={"day": day})
    except IntegrityError:
        return None
    return run


def queue_manual_backup(*, actor: Any = None) -> BackupRun:
    """Queue a backup outside the schedule (手動備份), by a central administrator or manage.py."""
    with transaction.atomic():
        run = BackupRun.objects.create(kind=BackupKind.MANUAL)
        record("ops.backup_queued", obj=run, actor=actor, actor_label="" if actor else "manage.py")
    return run


def _set(run: BackupRun, action: str, **changes: Any) -> BackupRun:
    """One state change of a run, saved and audited together."""
    with transaction.atomic():
        for name, value in changes.items():
            setattr(run, name, value)
        run.save(update_fields=list(changes))
        record(
            action,
            obj=run,
            actor_label=SYSTEM if run.kind == BackupKind.SCHEDULED else "",
            after=changes,
        )
    return run


def run_backup(run: BackupRun, *, keep: int | None = None, verify: bool = True) -> BackupRun:
    """Write a generation, drop generations beyond ``keep``, verify the newest in a scratch
    database. Failures are kept on the run (status ``failed``, message) rather than raised, so
    the dashboard shows them."""
    keep = keep or settings.BACKUP_KEEP
    root = backup_root()
    _set(run, "ops.backup_started", status=BackupStatus.RUNNING, started_at=timezone.now())
    try:
        manifest = snapshot.create(root, default_storage)
    except Exception as error:
        return _set(run, "ops.backup_failed", status=BackupStatus.FAILED,
                    finished_at=timezone.now(), message=f"備份失敗：{error}")  # fmt: skip
    _set(
        run,
        "ops.backup_written",
        generation=manifest.generation,
        finished_at=timezone.now(),
        file_count=len(manifest.files),
        total_bytes=manifest.total_bytes,
        row_count=manifest.row_count,
    )
    try:
        snapshot.prune(root, keep)
        result = verify_in_scratch(root, manifest.generation) if verify else None
    except Exception as error:
        # A crash here must not leave the run "running" forever on the dashboard.
        return _set(run, "ops.backup_failed", status=BackupStatus.FAILED,
                    message=f"備份已寫入，但清理或驗證失敗：{error}")  # fmt: skip
    if manifest.problems:
        # The source itself is damaged (a file missing or changed): the backup keeps what there
        # is, but this must not look like a good night.
        return _set(run, "ops.backup_failed", status=BackupStatus.FAILED,
                    message="來源資料有問題：\n" + "\n".join(manifest.problems[:50]))  # fmt: skip
    if result is None:
        return run
    if result.ok:
        return _set(run, "ops.backup_verified", status=BackupStatus.VERIFIED,
                    verified_at=timezone.now(), message=result.summary())  # fmt: skip
    return _set(run, "ops.backup_failed", status=BackupStatus.FAILED, message=result.summary())


def _scratch_env(workdir: Path) -> dict[str, str]:
    """Environment for a child process whose database and files are throwaway copies."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LICHENG_S3_", "LICHENG_DATABASE"))
    }
    env.update(
        LICHENG_VAR_DIR=str(workdir),
        LICHENG_MEDIA_ROOT=str(workdir / "files"),
        LICHENG_SQLITE_PATH=str(workdir / "scratch.sqlite3"),
        LICHENG_TASKS="immediate",
        LICHENG_METRICS="0",
    )
    connection = connections["default"]
    if connection.vendor == "postgresql":
        env["LICHENG_DATABASE_URL"] = _fresh_postgres_scratch(connection.settings_dict)
    return env


def _fresh_postgres_scratch(params: dict[str, Any]) -> str:
    """(Re)create ``<name>_restorecheck`` on the same server; returns its URL."""
    import psycopg
    from psycopg import sql

    name = f"{params['NAME']}_restorecheck"
    with psycopg.connect(
        dbname="postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    port = f":{params['PORT']}" if params["PORT"] else ""
    host = params["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgresql://{auth}@localhost{port}/{name}?host={host}"
    return f"postgresql://{auth}@{host}{port}/{name}"


def verify_in_scratch(root: Path, generation: str) -> snapshot.Verification:
    """Restore ``generation`` into a throwaway database and file store in a child process
    (migrate, restore, verify) and return its verdict."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    with tempfile.TemporaryDirectory(prefix="licheng-restorecheck-") as tmp:
        env = _scratch_env(Path(tmp))
        steps = [
            [sys.executable, str(manage), "migrate", "--no-input", "-v", "0"],
            [sys.executable, str(manage), "restore", generation, "--dir", str(root),
             "--no-input", "--json"],
        ]  # fmt: skip
        for cmd in steps:
            # Our own interpreter and manage.py, arguments we built: no untrusted input.
            done = subprocess.run(  # noqa: S603  # nosec B603
                cmd,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=settings.BACKUP_VERIFY_TIMEOUT,
            )
            if done.returncode != 0 and "--json" not in cmd:
                return snapshot.Verification(problems=[f"暫存資料庫建立失敗：{done.stderr[-500:]}"])
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines:
            return snapshot.Verification(problems=[f"還原驗證沒有結果：{done.stderr[-500:]}"])
        return snapshot.Verification(**json.loads(lines[-1]))


def last_verified() -> BackupRun | None:
    return (
        BackupRun.objects.filter(status=BackupStatus.VERIFIED, verified_at__isnull=False)
        .order_by("-verified_at")
        .first()
    )


def is_stale(run: BackupRun | None, now: datetime | None = None) -> bool:
    """True when there is no verified backup, or the newest is older than 26 hours."""
    if run is None or run.verified_at is None:
        return True
    return (now or timezone.now()) - run.verified_at > STALE_AFTER


def nightly_due(now: datetime | None = None) -> date | None:
    """The day whose nightly backup should be queued now, if any (Asia/Taipei, after the hour)."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.BACKUP_HOUR:
        return None
    day = local.date()
    return None if BackupRun.objects.filter(scheduled_for=day).exists() else day
