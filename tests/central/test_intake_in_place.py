"""The intake reads a package's files in place (its memory map) when it can, through the zip
reader when it cannot; either way the same bytes are stored and every one is checked first."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from licheng.central.domain.blobs import verify_all
from licheng.central.domain.intake import ingest_package
from licheng.central.models import Blob, CentralFile, Submission
from licheng.lib.exchange import PackageError, read_package

from .packages import contents_of, manifest, outcome, student_entry, zip_bytes


def _two_files():
    return manifest(students=[student_entry(items=[outcome("o1"), outcome("o2")])])


def _leftovers() -> list[Path]:
    blobs = Path(settings.MEDIA_ROOT) / "central" / "blobs"
    return [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []


def test_member_view_is_the_members_bytes_for_a_file_and_for_memory(tmp_path):
    m = _two_files()
    data = zip_bytes(m)
    path = tmp_path / "package.zip"
    path.write_bytes(data)
    for source in (path, io.BytesIO(data)):
        package = read_package(source)
        try:
            for sha, content in contents_of(m).items():
                view = package.member_view(sha)
                assert view is not None and bytes(view) == content
                view.release()
        finally:
            package.close()


def test_package_on_disk_is_stored_in_place_and_verified(school_a, tmp_path):
    m = _two_files()
    path = tmp_path / "package.zip"
    path.write_bytes(zip_bytes(m))
    with open(path, "rb") as stream:
        ingest_package(stream, school=school_a)
    assert (CentralFile.objects.count(), verify_all()) == (2, (2, []))
    assert not [p for p in _leftovers() if p.name.endswith(".part")]


def test_deflated_package_from_another_vendor_is_read_through_the_zip_reader(school_a):
    """Members compressed by another platform have no bytes in place: streamed, same result."""
    m = _two_files()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(m, ensure_ascii=False))
        for sha, content in contents_of(m).items():
            archive.writestr(f"files/{sha}", content)
    package = read_package(io.BytesIO(out.getvalue()))
    assert package.member_view(next(iter(package.files))) is None
    package.close()
    ingest_package(io.BytesIO(out.getvalue()), school=school_a)
    assert verify_all() == (2, [])


def test_wrong_bytes_are_refused_before_anything_is_written(school_a):
    m = _two_files()
    files = contents_of(m)
    first = next(iter(files))
    files[first] = b"%PDF-1.4 not what the manifest says"
    with pytest.raises(PackageError, match="大小不符|SHA-256 不符"):
        ingest_package(io.BytesIO(zip_bytes(m, files)), school=school_a)
    assert (Submission.objects.count(), Blob.objects.count()) == (0, 0)
    assert not (Path(settings.MEDIA_ROOT) / "central" / "blobs" / first[:2] / first).exists()
    assert not [p for p in _leftovers() if p.name.endswith(".part")]


def test_local_header_that_disagrees_with_the_directory_is_not_read_in_place(school_a):
    """A crafted zip whose member header names another file: never read in place, and the
    zip reader refuses it with a reason."""
    m = manifest()
    sha = next(iter(contents_of(m)))
    data = bytearray(zip_bytes(m))
    at = data.index(f"files/{sha}".encode())  # the first occurrence is the local header's name
    data[at + 6] = ord("0") if data[at + 6] != ord("0") else ord("1")
    package = read_package(io.BytesIO(bytes(data)), hash_files=False)
    try:
        assert package.member_view(sha) is None
    finally:
        package.close()
    with pytest.raises(PackageError):
        ingest_package(io.BytesIO(bytes(data)), school=school_a)
    assert Submission.objects.count() == 0


def test_member_in_an_unsupported_compression_is_refused_with_a_reason(school_a):
    """A member compressed by a method this reader does not do is a clear refusal, not a 500."""
    m = manifest()
    sha, content = next(iter(contents_of(m).items()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps(m, ensure_ascii=False))
        archive.writestr(f"files/{sha}", content)
    data = bytearray(out.getvalue())
    # Mark the member as compressed with method 99 (AE-x encryption) in both of its headers.
    directory = data.index(b"PK\x01\x02")
    for at in (data.index(b"PK\x03\x04", 1), data.index(b"PK\x01\x02", directory + 1)):
        if data[at : at + 4] == b"PK\x03\x04":
            data[at + 8 : at + 10] = (99).to_bytes(2, "little")
        else:
            data[at + 10 : at + 12] = (99).to_bytes(2, "little")
    with pytest.raises(PackageError, match="無法讀取"):
        ingest_package(io.BytesIO(bytes(data)), school=school_a)
    assert Submission.objects.count() == 0


def test_manifest_in_an_unsupported_compression_is_refused_with_a_reason(school_a):
    data = bytearray(zip_bytes(manifest()))
    data[8:10] = (99).to_bytes(2, "little")  # the manifest is the first member
    directory = data.index(b"PK\x01\x02")
    data[directory + 10 : directory + 12] = (99).to_bytes(2, "little")
    with pytest.raises(PackageError, match="manifest.json 無法讀取"):
        ingest_package(io.BytesIO(bytes(data)), school=school_a)


def test_leftover_under_a_blobs_name_is_replaced_by_the_checked_bytes(school_a):
    """Bytes left by a try that died before its rows committed are written over."""
    m = manifest()
    sha, content = next(iter(contents_of(m).items()))
    path = Path(settings.MEDIA_ROOT) / "central" / "blobs" / sha[:2] / sha
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a fi")
    ingest_package(io.BytesIO(zip_bytes(m)), school=school_a)
    assert path.read_bytes() == content
    assert verify_all() == (1, [])


@pytest.mark.parametrize("missing", ["O_TMPFILE", "proc"])
def test_without_unnamed_files_blobs_are_written_under_a_temporary_name(
    school_a, monkeypatch, missing
):
    """Where O_TMPFILE or /proc is not there, the same bytes land under a temporary name first."""
    from licheng.central.domain import blobs

    if missing == "O_TMPFILE":
        monkeypatch.delattr(blobs.os, "O_TMPFILE")
    else:
        real_link = os.link

        def no_proc(src, *args, **kwargs):
            if str(src).startswith("/proc/"):
                raise FileNotFoundError(src)
            return real_link(src, *args, **kwargs)

        monkeypatch.setattr(blobs.os, "link", no_proc)
    m = _two_files()
    ingest_package(io.BytesIO(zip_bytes(m)), school=school_a)
    assert verify_all() == (2, [])
    assert not [p for p in _leftovers() if p.name.endswith(".part")]
