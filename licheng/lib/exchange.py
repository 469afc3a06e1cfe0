"""The exchange package (交換封包) between a school platform and the central repository.

A package is a zip file holding ``manifest.json`` (validated by
``schemas/exchange-package.schema.json``) and every file it lists under ``files/<sha256>``.
Nothing here touches the database: the school side builds packages with ``write_package`` and the
central side opens them with ``read_package``; both sides share the same checks. See
docs/exchange-format.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import jsonschema_rs
from jsonschema import Draft202012Validator

# Major.minor. Minor versions only add optional fields (1.1: performances' category fields,
# end date and source; outcomes' certifier and return reason; transfers' attendance and
# rewards), so every 1.x package up to this one is read; see docs/exchange-format.md.
FORMAT_VERSION = "1.1"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "exchange-package.schema.json"
MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024

# Zip members are stored, not deflated: pdf/jpg/png/mp3/mp4 are already compressed, and
# deflating them would only cost CPU on both sides.
_COMPRESSION = zipfile.ZIP_STORED


class PackageError(ValueError):
    """A package the receiver refuses; the message says what is wrong, in the user's language."""


# What reading a damaged or unusual member can raise: a cut-off or crafted zip, a compression
# method or encryption this reader does not do, corrupted deflated data.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    zlib.error,
)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every ``$ref`` replaced by its definition (the schema has no cycles):
    the reference validator takes half the time without reference lookups."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def _fast_validator() -> Any:
    """The compiled validator (jsonschema-rs): a school's 32,000-item manifest in 30 ms instead
    of 3.5 s, on both sides of every package. Formats (dates) are checked, as by the reference."""
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=True)


@cache
def _validator() -> Draft202012Validator:
    """The reference validator (python-jsonschema), for values the compiled one cannot take in
    (integers beyond 64 bits, NaN): slower, same schema, same answers."""
    flat = _inline(schema(), schema()["$defs"])
    return Draft202012Validator(flat, format_checker=Draft202012Validator.FORMAT_CHECKER)


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that hashes the same on every platform."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _where(path: Iterable[Any]) -> str:
    return "/".join(str(p) for p in path) or "（根）"


# What each kind of schema error means to a person, by jsonschema-rs's error kind.
_MESSAGES = {
    "Required": "缺少必填欄位",
    "AdditionalProperties": "有不認得的欄位",
    "Type": "型別不正確",
    "Pattern": "格式不正確",
    "Enum": "值不在允許的範圍內",
    "Constant": "值不正確",
    "MinLength": "不可為空白",
    "MaxLength": "超過長度上限",
    "Minimum": "小於下限",
    "Maximum": "超過上限",
    "MinItems": "至少要有一筆",
    "MaxItems": "筆數超過上限",
    "Format": "日期格式不正確",
    "OneOfNotValid": "值不正確",
    "OneOfMultipleValid": "值不正確",
    "Not": "這類封包不可包含此欄位",  # e.g. attendance and rewards outside a transfer (R3)
}
_DETAILED = {"Required", "AdditionalProperties"}  # the message names the field concerned
# python-jsonschema's keyword → the same kinds.
_REFERENCE_KINDS = {
    "required": "Required",
    "additionalProperties": "AdditionalProperties",
    "type": "Type",
    "pattern": "Pattern",
    "enum": "Enum",
    "const": "Constant",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "minimum": "Minimum",
    "maximum": "Maximum",
    "minItems": "MinItems",
    "maxItems": "MaxItems",
    "format": "Format",
    "oneOf": "OneOfNotValid",
    "not": "Not",
}


def package_id(manifest: dict[str, Any]) -> str:
    """The package's identity: SHA-256 of its canonical manifest without ``created_at``, so the
    same data built again is the same package (R25)."""
    return sha256_hex(canonical_json({k: v for k, v in manifest.items() if k != "created_at"}))


def manifest_errors(manifest: Any, limit: int = 20) -> list[str]:
    """Every way ``manifest`` breaks the schema, in zh-Hant, each naming the field."""
    try:
        found = [
            (list(e.instance_path), type(e.kind).__name__, e.message)
            for e in _fast_validator().iter_errors(manifest)
        ]
    except (ValueError, OverflowError, TypeError):  # not representable in the compiled one
        found = [
            (list(e.absolute_path), _REFERENCE_KINDS.get(str(e.validator), ""), e.message)
            for e in _validator().iter_errors(manifest)
        ]
    result = []
    for path, kind, message in sorted(found, key=lambda f: _path_key(f[0])):
        text = f"{_where(path)}：{_MESSAGES.get(kind, '不符合交換格式')}"
        result.append(f"{text}（{message}）" if kind in _DETAILED else text)
    return result[:limit]


def _path_key(path: list[Any]) -> list[tuple[int, int, str]]:
    """Sort errors by where they are, list positions in number order."""
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path]


def _version(text: str) -> tuple[int, int] | None:
    major, _dot, minor = text.partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def check_version(version: str) -> None:
    """Refuse another major version, and a newer minor one: its added fields mean nothing here."""
    mine, theirs = _version(FORMAT_VERSION), _version(version)
    if theirs is None:
        return  # not a version at all: the schema names the field
    if mine is None or theirs[0] != mine[0] or theirs[1] > mine[1]:
        raise PackageError(f"不支援的格式版本 {version}（本系統支援 1.0 至 {FORMAT_VERSION}）")


def check_manifest(manifest: Any) -> None:
    if isinstance(manifest, dict) and "format_version" in manifest:
        check_version(str(manifest["format_version"]))
    errors = manifest_errors(manifest)
    if errors:
        raise PackageError("清單不符合交換格式：" + "；".join(errors))
    # JSON allows U+0000 in strings; no database text column does (PostgreSQL refuses it).
    if b"\\u0000" in canonical_json(manifest):
        raise PackageError("清單含有不允許的空字元（U+0000）")
    _check_unique_ids(manifest)


def _check_unique_ids(manifest: dict[str, Any]) -> None:
    seen: set[str] = set()
    for student in manifest["students"]:
        if student["national_id"] in seen:
            raise PackageError(f"學生 {student['national_id']} 在清單中重複出現")
        seen.add(student["national_id"])
        ids = [item["id"] for item in student.get("items", [])]
        if len(ids) != len(set(ids)):
            raise PackageError(f"學生 {student['national_id']} 的項目編號重複")


def listed_files(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """sha256 → file entry, for every file the manifest lists (the same bytes travel once)."""
    files: dict[str, dict[str, Any]] = {}
    for student in manifest["students"]:
        for item in student.get("items", []):
            for entry in item["files"]:
                known = files.get(entry["sha256"])
                if known is not None and known["size"] != entry["size"]:
                    raise PackageError(f"檔案 {entry['name']} 的大小與同雜湊值的檔案不一致")
                files[entry["sha256"]] = entry
    return files


@dataclass
class Package:
    """An opened, fully verified package: every listed file is present with its size and hash."""

    manifest: dict[str, Any]
    manifest_sha256: str
    archive: zipfile.ZipFile
    files: dict[str, dict[str, Any]]
    _bytes: Any = None  # the whole package as a buffer (a file's memory map), when it has one

    def open_file(self, sha256: str) -> IO[bytes]:
        """The member's bytes, to be read through a ``HashingReader`` and checked."""
        try:
            return _without_crc(self.archive.open(f"files/{sha256}"))
        except ZIP_READ_ERRORS as exc:
            name = self.files[sha256]["name"] if sha256 in self.files else sha256
            raise PackageError(f"檔案 {name} 無法讀取（封包可能不完整或已損毀）") from exc

    def member_view(self, sha256: str) -> memoryview | None:
        """The member's bytes in place, without copying, when the package is a file on disk
        (or in memory) and the member is stored plainly; otherwise None (read ``open_file``).

        Read this way, the intake's threads hash and write a school's 32,000 files straight
        from the page cache instead of queueing for the zip reader's lock 1 MB at a time."""
        if self._bytes is None:
            return None
        info = self.archive.getinfo(f"files/{sha256}")
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            return None
        start = _data_start(self._bytes, info)
        if start is None or start + info.file_size > len(self._bytes):
            return None  # headers that disagree: the zip reader says why
        return memoryview(self._bytes)[start : start + info.file_size]

    def close(self) -> None:
        self.archive.close()
        buffer, self._bytes = self._bytes, None
        try:
            if isinstance(buffer, mmap.mmap):
                buffer.close()
            elif isinstance(buffer, memoryview):
                buffer.release()
        except BufferError:
            pass  # a member's view is still held somewhere: the mapping goes with it


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, name length, extra field length


def _data_start(buffer: Any, info: zipfile.ZipInfo) -> int | None:
    """Where a member's bytes begin: after its local header, whose name must be the member's."""
    at = info.header_offset
    if at + _LOCAL_HEADER.size > len(buffer):
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(buffer, at)
    name_at = at + _LOCAL_HEADER.size
    if signature != b"PK\x03\x04" or bytes(buffer[name_at : name_at + name_length]) != (
        info.orig_filename.encode()
    ):
        return None
    return name_at + name_length + extra_length


def _buffer_of(source: IO[bytes] | Path) -> Any:
    """The package's bytes as a read-only buffer when it is a regular file or a BytesIO."""
    try:
        if isinstance(source, Path):
            with open(source, "rb") as f:
                return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if isinstance(source, io.BytesIO):
            return source.getbuffer().toreadonly()
        return mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None  # a pipe, an empty file, a stream without a descriptor: read it as a zip


def read_package(source: IO[bytes] | Path, *, hash_files: bool = True) -> Package:
    """Open and verify a package; raises ``PackageError`` naming the first problem found.

    With ``hash_files=False`` only the manifest, the list of members and their sizes are checked;
    the caller then hashes each file while it copies it (``HashingReader``), reading it once.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError("封包不是完整的 zip 檔（可能傳送中斷），請重新傳送") from exc
    try:
        manifest = _read_manifest(archive)
        check_manifest(manifest)
        files = listed_files(manifest)
        _verify_members(archive, files)
        if hash_files:
            for sha in files:
                verify_member(archive, sha, files[sha])
    except Exception:
        archive.close()
        raise
    return Package(manifest, package_id(manifest), archive, files, _buffer_of(source))


class HashingReader:
    """A read-only, forward-only stream that hashes and counts what passes through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk

    # Storage back-ends treat it as a file: S3's asks ``closed`` and ``seekable()`` before saving.
    @property
    def closed(self) -> bool:
        return bool(getattr(self.stream, "closed", False))

    def seekable(self) -> bool:
        return False  # the hash is right only for one read from the start: no rewinding

    def check(self, sha256: str, entry: dict[str, Any]) -> None:
        """Raise ``PackageError`` unless what was read is exactly the listed file."""
        _check(self.size, self.digest, sha256, entry)


def check_bytes(data: memoryview, sha256: str, entry: dict[str, Any]) -> None:
    """Raise ``PackageError`` unless ``data`` is exactly the listed file (hashed in place;
    hashlib lets other threads run while it hashes)."""
    if len(data) != entry["size"]:  # no need to hash what cannot match
        _check(len(data), None, sha256, entry)
    _check(len(data), hashlib.sha256(data), sha256, entry)


def _check(size: int, digest: Any, sha256: str, entry: dict[str, Any]) -> None:
    if size != entry["size"]:
        raise PackageError(f"檔案 {entry['name']} 的大小不符（清單 {entry['size']}，實際 {size}）")
    if digest.hexdigest() != sha256:
        raise PackageError(f"檔案 {entry['name']} 的 SHA-256 不符，檔案可能已損毀")


def _without_crc(stream: IO[bytes]) -> IO[bytes]:
    """Skip the zip CRC-32 of a member whose SHA-256 and size are checked anyway: the CRC costs
    a second pass over every byte and catches nothing the SHA-256 does not. (CPython's
    ``ZipExtFile`` checks the CRC only when ``_expected_crc`` is set; elsewhere it stays on.)"""
    if getattr(stream, "_expected_crc", None) is not None:
        stream._expected_crc = None  # type: ignore[attr-defined]
    return stream


def verify_member(archive: zipfile.ZipFile, sha256: str, entry: dict[str, Any]) -> None:
    try:
        with _without_crc(archive.open(f"files/{sha256}")) as stream:
            reader = HashingReader(stream)
            while reader.read(CHUNK):
                pass
    except ZIP_READ_ERRORS as exc:
        raise PackageError(f"檔案 {entry['name']} 無法讀取（封包可能不完整）") from exc
    reader.check(sha256, entry)


def _read_manifest(archive: zipfile.ZipFile) -> Any:
    try:
        info = archive.getinfo(MANIFEST_NAME)
    except KeyError:
        raise PackageError("封包中沒有 manifest.json") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageError("manifest.json 太大")
    try:
        raw = archive.read(info)
    except ZIP_READ_ERRORS as exc:
        raise PackageError("manifest.json 無法讀取（封包可能不完整或已損毀）") from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError("manifest.json 不是正確的 UTF-8 JSON") from exc


def _verify_members(archive: zipfile.ZipFile, files: dict[str, dict[str, Any]]) -> None:
    members = {n for n in archive.namelist() if n != MANIFEST_NAME}
    expected = {f"files/{sha}" for sha in files}
    if extra := sorted(members - expected):
        raise PackageError(f"封包含有清單未列出的檔案：{', '.join(extra[:5])}")
    if missing := sorted(expected - members):
        names = ", ".join(files[m.removeprefix("files/")]["name"] for m in missing[:5])
        raise PackageError(f"清單列出的檔案不在封包中：{names}")
    for sha, entry in files.items():
        size = archive.getinfo(f"files/{sha}").file_size
        if size != entry["size"]:
            raise PackageError(
                f"檔案 {entry['name']} 的大小不符（清單 {entry['size']}，實際 {size}）"
            )


Source = Path | Callable[[], IO[bytes]]


def write_package(
    manifest: dict[str, Any], sources: dict[str, Source], out: IO[bytes] | Path
) -> None:
    """Write a package: the manifest and, once per hash, each file from ``sources``: sha → a
    path, or a function opening the stored bytes (files may live in object storage)."""
    check_manifest(manifest)
    files = listed_files(manifest)
    with zipfile.ZipFile(out, "w", compression=_COMPRESSION, allowZip64=True) as archive:
        archive.writestr(MANIFEST_NAME, canonical_json(manifest))
        for sha, entry in files.items():
            source = sources[sha]
            info = zipfile.ZipInfo(f"files/{sha}", date_time=(2020, 1, 1, 0, 0, 0))
            info.file_size = entry["size"]
            # Copied in 1 MB chunks: ZipFile.write() would copy 8 KB at a time.
            opened = open(source, "rb") if isinstance(source, Path) else source()  # noqa: SIM115
            with opened as stream, archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(stream, target, CHUNK)


def iter_items(manifest: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for student in manifest["students"]:
        for item in student.get("items", []):
            yield student, item
