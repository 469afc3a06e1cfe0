"""Content-addressed file storage (檔案存放) at the central repository.

A file counts as stored only once its ``Blob`` row is committed. Bytes are written before that
row: if the process dies in between, the bytes on disk have no row, and the next package that
carries them writes them again over whatever half-written file was left.

On local disk a package's files are written as unnamed files and named only once whole (or
under a temporary name renamed into place where the system has no unnamed files), and made
durable together by one ``sync`` before the rows commit (``make_durable``): the same guarantee
as an fsync per file, without 32,000 separate flushes for a school's year.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage

from licheng.lib.exchange import HashingReader, PackageError, check_bytes

from ..models import Blob, blob_name

CHUNK = 1024 * 1024


class _BigChunks(File):
    """Storage back-ends copy ``chunks()``: 1 MB at a time rather than Django's 64 KB."""

    DEFAULT_CHUNK_SIZE = CHUNK


def _local_path(name: str) -> Path | None:
    """The file path for ``name`` when blobs live on local disk (else object storage)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.path(name))
    return None


def write_blob_bytes(sha256: str, stream: IO[bytes], entry: dict[str, Any]) -> None:
    """Write the bytes of a not-yet-committed blob, replacing any leftover of an earlier try,
    hashing them on the way: bytes that do not match ``sha256`` are removed and refused."""
    name = blob_name(sha256)
    reader = HashingReader(stream)
    path = _local_path(name)
    try:
        if path is not None:
            _write_local(path, reader, sha256, entry)
            return
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, _BigChunks(reader, name=name))  # type: ignore[arg-type]
        if saved != name:  # a concurrent writer won the name: same bytes by construction
            default_storage.delete(saved)
        reader.check(sha256, entry)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:  # not the disk's own errors
        default_storage.delete(name)
        raise PackageError(f"檔案 {entry['name']} 無法讀取（封包可能不完整）") from exc
    except PackageError:
        default_storage.delete(name)
        raise


def _write_local(path: Path, reader: HashingReader, sha256: str, entry: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        out = open(temporary, "wb")  # noqa: SIM115
    except FileNotFoundError:  # the blob's folder is not there yet: one mkdir per folder
        path.parent.mkdir(parents=True, exist_ok=True)
        out = open(temporary, "wb")  # noqa: SIM115
    try:
        with out:
            while chunk := reader.read(CHUNK):
                out.write(chunk)
        reader.check(sha256, entry)
        os.replace(temporary, path)  # never a half-written file under the blob's name
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_blob_view(sha256: str, data: memoryview, entry: dict[str, Any]) -> bool:
    """Write a not-yet-committed blob from bytes in place (a package's memory map), checked
    before a byte is written. Returns False when blobs live in object storage (stream them)."""
    path = _local_path(blob_name(sha256))
    if path is None:
        return False
    check_bytes(data, sha256, entry)
    try:
        _write_unnamed(path, data)
    except FileNotFoundError:  # the blob's folder is not there yet: one mkdir per folder
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_unnamed(path, data)
    return True


def _write_unnamed(path: Path, data: memoryview) -> None:
    """Write ``data`` to a file with no name yet and give it ``path`` only once it is whole
    (Linux's O_TMPFILE): a crash leaves nothing behind, and there is no temporary name to
    make up, create and rename (a fifth of the work for a school's 32,000 small files)."""
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fd = os.open(".", os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666, dir_fd=folder)
        except (AttributeError, OSError):
            _write_named(path, data)  # no O_TMPFILE here (another OS or file system)
            return
        try:
            _write_all(fd, data)
            # linkat(…, AT_SYMLINK_FOLLOW): a directory descriptor makes os.link use it.
            source = f"/proc/self/fd/{fd}"
            try:
                os.link(source, path.name, dst_dir_fd=folder, follow_symlinks=True)
            except FileExistsError:  # a leftover of an earlier try that never committed
                os.unlink(path.name, dir_fd=folder)
                os.link(source, path.name, dst_dir_fd=folder, follow_symlinks=True)
            except OSError:  # no /proc to name the file by: write it under a temporary name
                _write_named(path, data)
        finally:
            os.close(fd)
    finally:
        os.close(folder)


def _write_named(path: Path, data: memoryview) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, path)  # never a half-written file under the blob's name
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: memoryview) -> None:
    written = 0
    while written < len(data):
        written += os.write(fd, data[written:])


def make_durable() -> None:
    """Flush every blob written so far to disk before the rows that name them commit."""
    if isinstance(default_storage, FileSystemStorage):
        os.sync()


def open_blob(blob: Blob) -> IO[bytes]:
    return default_storage.open(blob.storage_name, "rb")


def verify_blob(blob: Blob) -> bool:
    """Re-read the stored bytes and compare size and SHA-256 with the row."""
    digest, size = hashlib.sha256(), 0
    try:
        with open_blob(blob) as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return False
    return size == blob.size and digest.hexdigest() == blob.sha256


def verify_all() -> tuple[int, list[str]]:
    """Verify every stored file; returns how many were checked and the hashes that failed."""
    failed, count = [], 0
    for blob in Blob.objects.order_by("sha256").iterator():
        count += 1
        if not verify_blob(blob):
            failed.append(blob.sha256)
    return count, failed
