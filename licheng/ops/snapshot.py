"""The backup format (備份): one generation = the database as JSON lines per model + a manifest;
file bytes live once in a content-addressed object store that all generations share.

    <root>/objects/ab/ab12…                  the bytes of every stored file, named by SHA-256
    <root>/<generation>/manifest.json        row count and checksum of every table, every file
    <root>/<generation>/db/<app>.<model>.jsonl

Why Django's serializers and not pg_dump: the same backup restores into PostgreSQL or SQLite
(the embedded default, and the scratch database of the nightly check), and the row counts per
model are exact and checkable. Why content-addressed files: a nightly generation copies only the
files that are new since the last one, and an object's name *is* the hash a restore verifies.
A generation directory appears only when complete (written as ``.partial`` and renamed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from licheng.evidence.storage import TEMP_PREFIX
from licheng.lib.storagewalk import walk

FORMAT = "licheng-backup/1"
CHUNK = 1 << 20
OBJECTS = "objects"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in the operator's words."""


@dataclass
class Manifest:
    """What one generation holds, and what a restore must find again (備份清單)."""

    generation: str
    created_at: str
    vendor: str
    migrations: dict[str, list[str]]
    tables: dict[str, dict[str, Any]]  # "app.model" -> {"rows", "sha256", "file"}
    files: dict[str, dict[str, Any]]  # storage name -> {"sha256", "size"}
    problems: list[str] = field(default_factory=list)
    format: str = FORMAT

    @property
    def row_count(self) -> int:
        return sum(int(t["rows"]) for t in self.tables.values())

    @property
    def total_bytes(self) -> int:
        return sum(int(f["size"]) for f in self.files.values())

    def write(self, directory: Path) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)
        (directory / MANIFEST).write_text(text, encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(f"找不到備份清單 {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BackupError(f"不支援的備份格式 {data.get('format')!r}（需要 {FORMAT}）")
        return cls(**data)


@dataclass
class Verification:
    """The outcome of checking a database and a storage against a manifest (驗證結果)."""

    files_checked: int = 0
    tables_checked: int = 0
    rows_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (
                f"驗證通過：{self.files_checked} 個檔案的 SHA-256 與 {self.tables_checked} 個資料表"
                f"（共 {self.rows_checked} 筆）的筆數皆與備份清單相符。"
            )
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  …另有 {len(self.problems) - 20} 項" if len(self.problems) > 20 else ""
        return f"驗證失敗：{len(self.problems)} 項與備份清單不符：\n  {shown}{more}"


# --- helpers -------------------------------------------------------------------------------


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return sha256_of(fh)[0]


def object_path(root: Path, sha256: str) -> Path:
    return root / OBJECTS / sha256[:2] / sha256


def backed_up_models() -> list[type[models.Model]]:
    """Every table the project owns: concrete, managed models, and the tables Django makes for
    many-to-many fields (their own entries, so their row counts are checked too)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def file_name_field(model: type[models.Model]) -> str | None:
    """For a model that records a stored file with its SHA-256 (evidence.StoredFile and the
    like), the field holding the file's storage name; ``None`` for other models."""
    names = {f.name for f in model._meta.get_fields()}
    if "sha256" not in names:
        return None
    for f in model._meta.get_fields():
        if isinstance(f, models.FileField):
            return f.name
    return "storage_name" if "storage_name" in names else None


def applied_migrations(using: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        result.setdefault(app, []).append(name)
    return result


def new_generation_name(root: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = stamp, 1
    while (root / name).exists():
        n += 1
        name = f"{stamp}-{n}"
    return name


def generations(root: Path) -> list[str]:
    """Complete generations, oldest first (names sort by time)."""
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and
        p.name != OBJECTS and (p / MANIFEST).is_file()
    )  # fmt: skip


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _HashingWriter:
    """A text stream for the serializer that hashes the UTF-8 bytes as it writes them."""

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.digest = hashlib.sha256()

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.digest.update(data)
        self.fh.write(data)
        return len(text)

    def flush(self) -> None:
        self.fh.flush()


def _counted(iterator: Iterator[models.Model], counter: list[int]) -> Iterator[models.Model]:
    for obj in iterator:
        counter[0] += 1
        yield obj


# --- backup --------------------------------------------------------------------------------


def _dump_tables(db_dir: Path, using: str) -> tuple[dict[str, dict[str, Any]], dict]:
    """Serialize every table inside one read transaction, so counts agree with each other."""
    tables: dict[str, dict[str, Any]] = {}
    expected: dict[str, tuple[str, dict[str, str]]] = {}
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # One snapshot for all tables: rows written meanwhile are either all in or all out.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backed_up_models():
            label = model._meta.label_lower
            # Many-to-many links are dumped as their own tables, not repeated inside each row
            # (which would also cost a query per row).
            own_fields = [f.name for f in model._meta.local_fields]
            queryset = model._default_manager.using(using).order_by("pk")
            counter = [0]
            path = db_dir / f"{label}.jsonl"
            with path.open("wb") as fh:
                writer = _HashingWriter(fh)
                serializers.serialize(
                    "jsonl",
                    _counted(queryset.iterator(chunk_size=2000), counter),
                    stream=writer,
                    fields=own_fields,
                    cls=_ExactEncoder,
                )
            tables[label] = {
                "rows": counter[0],
                "sha256": writer.digest.hexdigest(),
                "file": f"db/{path.name}",
            }
            name_field = file_name_field(model)
            if name_field:
                rows = model._default_manager.using(using).values_list(name_field, "sha256")
                expected[label] = (name_field, {str(n): str(h) for n, h in rows})
    return tables, expected


def _copy_files(storage: Storage, root: Path) -> dict[str, dict[str, Any]]:
    """Copy every stored file into the object store (once per content) and hash it."""
    files: dict[str, dict[str, Any]] = {}
    tmp_dir = root / OBJECTS / ".incoming"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    for name in walk(storage):
        if name.rsplit("/", 1)[-1].startswith(TEMP_PREFIX):
            continue  # an upload in flight (or a crash's leftover): no row refers to it
        tmp = tmp_dir / f"{os.getpid()}.part"
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as src, tmp.open("wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
        sha = digest.hexdigest()
        target = object_path(root, sha)
        if target.exists():
            tmp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        files[name] = {"sha256": sha, "size": size}
    return files


def _check_file_records(
    expected: dict[str, tuple[str, dict[str, str]]], files: dict[str, dict[str, Any]]
) -> list[str]:
    problems = []
    for label, (name_field, rows) in expected.items():
        for name, sha in rows.items():
            found = files.get(name)
            if found is None:
                problems.append(f"{label} {name_field}={name}：儲存空間中沒有這個檔案")
            elif found["sha256"] != sha:
                problems.append(f"{label} {name_field}={name}：SHA-256 與資料庫紀錄不符")
    return problems


def create(root: Path, storage: Storage, *, using: str = "default") -> Manifest:
    """Write a new complete generation under ``root``; returns its manifest.

    The database is read first, then the files: stored files are written before the rows that
    name them, so every file a row names is already there when the walk reaches it.
    """
    root.mkdir(parents=True, exist_ok=True)
    name = new_generation_name(root)
    partial = root / f".{name}.partial"
    (partial / "db").mkdir(parents=True)
    try:
        tables, expected = _dump_tables(partial / "db", using)
        files = _copy_files(storage, root)
        manifest = Manifest(
            generation=name,
            created_at=datetime.now(UTC).isoformat(),
            vendor=connections[using].vendor,
            migrations=applied_migrations(using),
            tables=tables,
            files=files,
            problems=_check_file_records(expected, files),
        )
        manifest.write(partial)
        os.replace(partial, root / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def prune(root: Path, keep: int) -> list[str]:
    """Keep the newest ``keep`` generations; drop older ones and objects no generation names."""
    if keep < 1:
        raise BackupError("至少要保留 1 個備份世代")
    names = generations(root)
    dropped = names[:-keep]
    for name in dropped:
        shutil.rmtree(root / name)
    wanted = {
        entry["sha256"]
        for name in names[-keep:]
        for entry in Manifest.read(root / name).files.values()
    }
    objects = root / OBJECTS
    # A backup still being written may use objects no manifest names yet: leave them for next time.
    in_progress = any(p.name.endswith(".partial") for p in root.iterdir())
    if objects.is_dir() and not in_progress:
        for bucket in objects.iterdir():
            if bucket.is_dir() and bucket.name != ".incoming":
                for obj in bucket.iterdir():
                    if obj.name not in wanted:
                        obj.unlink()
    return dropped


# --- restore and verify --------------------------------------------------------------------


def check_backup(root: Path, manifest: Manifest) -> list[str]:
    """Problems with the backup itself (damaged table dumps, missing or damaged objects),
    found *before* anything is wiped."""
    problems = []
    directory = root / manifest.generation
    for entry in manifest.tables.values():
        path = directory / entry["file"]
        if not path.is_file():
            problems.append(f"備份缺少資料表檔 {entry['file']}")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"備份資料表檔 {entry['file']} 已損毀（SHA-256 不符）")
    for sha in sorted({f["sha256"] for f in manifest.files.values()}):
        path = object_path(root, sha)
        if not path.is_file():
            problems.append(f"備份缺少檔案內容 {sha}")
        elif sha256_file(path) != sha:
            problems.append(f"備份檔案內容 {sha} 已損毀（SHA-256 不符）")
    return problems


def _check_migrations(manifest: Manifest, using: str) -> None:
    here = applied_migrations(using)
    if here != manifest.migrations:
        missing = sorted(
            f"{app}.{m}"
            for app, names in manifest.migrations.items()
            for m in names
            if m not in here.get(app, [])
        )
        extra = sorted(
            f"{app}.{m}"
            for app, names in here.items()
            for m in names
            if m not in manifest.migrations.get(app, [])
        )
        raise BackupError(
            "資料庫結構與備份時不同，請先 migrate 到備份時的版本。"
            f" 備份有而此處沒有：{', '.join(missing) or '無'}；此處有而備份沒有：{', '.join(extra) or '無'}"
        )


def _restore_tables(root: Path, manifest: Manifest, using: str) -> None:
    from django.core.management import call_command

    directory = root / manifest.generation
    models_by_label = {m._meta.label_lower: m for m in backed_up_models()}
    # All or nothing: if loading fails, the wipe is rolled back with it.
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while deferred foreign-key checks are pending in the same
            # transaction: run them now, then defer again so rows can load in any order.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command(
            "flush", interactive=False, inhibit_post_migrate=True, database=using, verbosity=0
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        loaded = []
        for label, entry in manifest.tables.items():
            if entry["rows"]:
                _load_table(directory / entry["file"], models_by_label[label], using)
                loaded.append(models_by_label[label])
        # The foreign keys were deferred while loading; check them all now, inside the transaction.
        connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(statement)


def _load_table(path: Path, model: type[models.Model], using: str) -> None:
    """Insert one table's rows in batches (``loaddata`` saves row by row: ~10× slower).

    Rows go in *raw*, as loaddata does: bulk_create would stamp ``auto_now``/``auto_now_add``
    fields with the restore time and lose every original timestamp.
    """
    # Multi-table inheritance cannot be inserted in one table's batch: row by row, raw.
    bulk = not model._meta.parents
    batch: list[models.Model] = []
    with path.open(encoding="utf-8") as fh:
        for item in serializers.deserialize("jsonl", fh, using=using):
            if not bulk:
                item.save(using=using)
                continue
            batch.append(item.object)
            if len(batch) >= 2000:
                _insert_raw(model, batch, using)
                batch = []
    if batch:
        _insert_raw(model, batch, using)


def _insert_raw(model: type[models.Model], objs: list[models.Model], using: str) -> None:
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connections[using].ops.bulk_batch_size(fields, objs))
    queryset = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        # QuerySet._insert is what Model.save and bulk_create use underneath; raw=True keeps
        # the values exactly as read from the backup.
        queryset._insert(objs[start : start + size], fields=fields, using=using, raw=True)  # type: ignore[attr-defined]


def _restore_files(root: Path, manifest: Manifest, storage: Storage) -> list[str]:
    problems = []
    for name, entry in manifest.files.items():
        if storage.exists(name):
            with storage.open(name, "rb") as fh:
                if sha256_of(fh)[0] == entry["sha256"]:
                    continue
            storage.delete(name)
        with object_path(root, entry["sha256"]).open("rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        if saved != name:
            problems.append(f"檔案 {name} 還原後的名稱變成 {saved}")
    return problems


def verify(manifest: Manifest, storage: Storage, *, using: str = "default") -> Verification:
    """Check every file's SHA-256 and every table's row count against ``manifest``."""
    result = Verification()
    for name, entry in sorted(manifest.files.items()):
        result.files_checked += 1
        if not storage.exists(name):
            result.problems.append(f"檔案 {name} 不存在")
            continue
        with storage.open(name, "rb") as fh:
            sha, size = sha256_of(fh)
        if sha != entry["sha256"] or size != entry["size"]:
            result.problems.append(f"檔案 {name} 的 SHA-256 與備份清單不符")
    models_by_label = {m._meta.label_lower: m for m in backed_up_models()}
    for label, entry in sorted(manifest.tables.items()):
        result.tables_checked += 1
        model = models_by_label.get(label)
        if model is None:
            result.problems.append(f"資料表 {label} 在此版本中不存在")
            continue
        rows = model._default_manager.using(using).count()
        result.rows_checked += rows
        if rows != entry["rows"]:
            result.problems.append(f"資料表 {label} 有 {rows} 筆，備份清單為 {entry['rows']} 筆")
        name_field = file_name_field(model)
        if name_field:
            # Rows that record a file's SHA-256 must agree with the bytes put back.
            for name, sha in model._default_manager.using(using).values_list(name_field, "sha256"):
                found = manifest.files.get(str(name))
                if found is None or found["sha256"] != sha:
                    result.problems.append(
                        f"{label} {name_field}={name}：檔案與紀錄的 SHA-256 不符"
                    )
    return result


def restore(
    root: Path, generation: str, storage: Storage, *, using: str = "default"
) -> tuple[Manifest, Verification]:
    """Replace the database and put back every file of ``generation``, then verify both.

    Nothing is wiped unless the backup itself checks out and the schema matches.
    """
    directory = root / generation
    manifest = Manifest.read(directory)
    damaged = check_backup(root, manifest)
    if damaged:
        raise BackupError("備份本身有問題，未做任何變更：\n  " + "\n  ".join(damaged[:20]))
    _check_migrations(manifest, using)
    _restore_tables(root, manifest, using)
    problems = _restore_files(root, manifest, storage)
    result = verify(manifest, storage, using=using)
    result.problems[:0] = problems
    return manifest, result
