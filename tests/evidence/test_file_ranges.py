"""Serving files by byte range (audio and video seeking; Safari plays only what answers 206),
and a stored file whose bytes are gone from storage — on disk and on S3."""

from __future__ import annotations

import hashlib
import logging
import struct
import tracemalloc

import pytest
from django.core.files.storage import default_storage

from licheng.audit.models import AuditEntry
from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.files import store_upload
from licheng.evidence.domain.verify import problems

from .conftest import upload


def padded_mp4(size: int) -> bytes:
    """A real MP4 grown to about ``size`` bytes with a ``free`` box (valid padding); the bytes
    differ along the way, so a wrong offset cannot pass for the right one."""
    clip = samples.mp4_bytes()
    pad = size - len(clip) - 8
    filler = bytes(range(256)) * (pad // 256 + 1)
    return clip + struct.pack(">I4s", pad + 8, b"free") + filler[:pad]


@pytest.fixture
def media(backend, student):
    """A video of the cast's student, with its bytes: on each storage back-end (R10)."""
    data = padded_mp4(300_000)
    stored = store_upload(
        upload("實驗影片.mp4", data), rules.MEDIA, owner=student, uploaded_by=student.user
    )
    return stored, data


def get(client, stored, range_header=None, **extra):
    headers = {"Range": range_header} if range_header else {}
    return client.get(f"/files/{stored.pk}/", headers={**headers, **extra})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_safe_headers(response) -> None:
    """What every file response keeps, whole or in part."""
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),  # a-b
        ("bytes=1000-", 1000, 299_999),  # a-
        ("bytes=-500", 299_500, 299_999),  # -n: the last n bytes
        ("bytes=299000-400000", 299_000, 299_999),  # past the end: clipped
        ("bytes=-999999", 0, 299_999),  # a suffix longer than the file: all of it
    ],
)
def test_file_range_is_answered_with_206(media, student, login, header, first, last):
    stored, data = media
    response = get(login(student.user), stored, header)
    assert response.status_code == 206
    assert body(response) == data[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline; filename")
    assert_safe_headers(response)


def test_file_range_of_a_download_stays_an_attachment(media, student, login):
    stored, data = media
    response = login(student.user).get(
        f"/files/{stored.pk}/?download=1", headers={"Range": "bytes=10-19"}
    )
    assert response.status_code == 206 and body(response) == data[10:20]
    assert response["Content-Disposition"].startswith("attachment")


def test_whole_file_says_it_accepts_ranges(media, student, login):
    stored, data = media
    response = get(login(student.user), stored)
    assert response.status_code == 200 and body(response) == data
    assert response["Content-Length"] == str(len(data))
    assert_safe_headers(response)


@pytest.mark.parametrize("header", ["bytes=300000-", "bytes=400000-400010", "bytes=-0"])
def test_unsatisfiable_range_is_416_with_the_size(media, student, login, header):
    stored, data = media
    response = get(login(student.user), stored, header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"
    assert body(response) == b""
    assert_safe_headers(response)


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,5-6",  # several ranges
        "bytes=9-1",  # last before first
        "bytes=-",
        "bytes=abc",
        "items=0-1",
        "bytes 0-1",
        "bytes=" + "9" * 200,
    ],
)
def test_malformed_or_multiple_ranges_get_the_whole_file(media, student, login, header):
    stored, data = media
    response = get(login(student.user), stored, header)
    assert response.status_code == 200 and body(response) == data
    assert "Content-Range" not in response
    assert_safe_headers(response)


def test_if_range_without_our_validator_gets_the_whole_file(media, student, login):
    """We send no ETag or Last-Modified (no-store), so no If-Range can match one of ours."""
    stored, data = media
    response = get(login(student.user), stored, "bytes=0-9", **{"If-Range": '"abc"'})
    assert response.status_code == 200 and body(response) == data


@pytest.mark.parametrize(
    "who", ["other_student", "other_teacher", "parent", "central_admin", "reviewer"]
)
def test_range_is_refused_before_any_byte_is_read(media, cast, login, who):
    """The permission check comes first: a stranger's Range reaches no storage, gets no byte."""
    stored, data = media
    reads = _count_storage_reads()
    response = get(login(cast[who]), stored, "bytes=0-99")
    assert response.status_code == 404
    assert not response.streaming and data[:100] not in response.content
    assert "Content-Range" not in response and "Accept-Ranges" not in response
    assert reads() == 0
    assert not AuditEntry.objects.filter(action="evidence.file.read").exists()


def test_anonymous_range_is_sent_to_login(media, client):
    stored, _data = media
    response = get(client, stored, "bytes=0-99")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_school_admins_ranged_read_is_audited(media, school_admin, login):
    """R35: reading part of a student's file is a read too."""
    stored, data = media
    response = get(login(school_admin), stored, "bytes=0-99")
    assert response.status_code == 206 and body(response) == data[:100]
    assert AuditEntry.objects.filter(action="evidence.file.read", actor=school_admin).exists()


def test_r35_a_players_seeks_are_not_each_a_read(media, school_admin, login):
    """R35: a media player asks for many ranges while one person watches once; the opening (a
    range from the first byte) is logged, the seeks and continuations are not."""
    stored, _data = media
    client = login(school_admin)
    for header in ("bytes=0-", "bytes=1000-", "bytes=2000-2999", "bytes=-100"):
        assert get(client, stored, header).status_code == 206
    assert AuditEntry.objects.filter(action="evidence.file.read", actor=school_admin).count() == 1


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_s3_range_asks_the_bucket_for_just_those_bytes(media, student, login):
    """On S3 a range is a ranged GET: never the whole object fetched to read a slice of it."""
    stored, data = media
    gets: list[dict] = []
    default_storage.connection.meta.client.meta.events.register(
        "before-call.s3.GetObject", lambda params, **kw: gets.append(params)
    )
    response = get(login(student.user), stored, "bytes=1000-1999")
    assert response.status_code == 206 and body(response) == data[1000:2000]
    assert [g["headers"].get("Range") for g in gets] == ["bytes=1000-1999"]


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_s3_whole_file_is_streamed_from_one_get(backend, student, login):
    """On S3 a file asked for whole (no range) is streamed in chunks from one GET of its bytes,
    not first downloaded whole by django-storages' S3File (which holds it in memory)."""
    data = padded_mp4(3 * 1024 * 1024)
    stored = store_upload(
        upload("長影片.mp4", data), rules.MEDIA, owner=student, uploaded_by=student.user
    )
    gets: list[dict] = []
    default_storage.connection.meta.client.meta.events.register(
        "before-call.s3.GetObject", lambda params, **kw: gets.append(params)
    )
    response = login(student.user).get(f"/files/{stored.pk}/")
    digest = hashlib.sha256()
    for chunk in response.streaming_content:
        assert len(chunk) <= 64 * 1024
        digest.update(chunk)
    assert response.status_code == 200 and digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert response["Content-Length"] == str(len(data)) and response["Accept-Ranges"] == "bytes"
    assert [g["headers"].get("Range") for g in gets] == [f"bytes=0-{len(data) - 1}"]


@pytest.mark.parametrize("backend", ["disk"], indirect=True)
def test_disk_range_streams_in_chunks_not_the_whole_file(backend, student, login):
    """A range of a large video is read in chunks as it is sent, not held in memory."""
    data = padded_mp4(6 * 1024 * 1024)
    stored = store_upload(
        upload("長影片.mp4", data), rules.MEDIA, owner=student, uploaded_by=student.user
    )
    client = login(student.user)
    get(client, stored, "bytes=0-9")  # warm-up: imports, session, templates
    tracemalloc.start()
    try:
        response = get(client, stored, "bytes=0-")
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 206 and received == len(data)
    assert peak < 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_missing_file_gets_a_clear_page_not_the_500(media, student, login, caplog):
    """A stored file whose bytes are gone: 404 with a page in the site's layout that says to
    contact the school administrator, and a critical log line with the file's id."""
    stored, _data = media
    default_storage.delete(stored.storage_name)
    with caplog.at_level(logging.ERROR):
        response = get(login(student.user), stored)
    assert response.status_code == 404
    page = response.content.decode()
    assert "檔案無法讀取" in page and "學校管理者" in page and str(stored.pk) in page
    assert "系統暫時發生錯誤" not in page
    assert 'class="skip-link"' in page and "site-header" in page  # the site's own layout
    assert response["Cache-Control"] == "private, no-store"
    logged = [r for r in caplog.records if str(stored.pk) in r.getMessage()]
    assert logged and all(r.levelno >= logging.ERROR for r in logged)
    # The operators' check names it too.
    assert [(p.stored.pk, p.kind) for p in problems()] == [(stored.pk, "missing")]


def test_missing_file_asked_by_range_gets_the_same_page(media, student, login):
    stored, _data = media
    default_storage.delete(stored.storage_name)
    response = get(login(student.user), stored, "bytes=0-99")
    assert response.status_code == 404 and "學校管理者" in response.content.decode()


def test_missing_file_is_still_hidden_from_strangers(media, other_student, login):
    """Who may not read a file learns nothing of it, missing or not."""
    stored, _data = media
    default_storage.delete(stored.storage_name)
    response = get(login(other_student.user), stored)
    assert response.status_code == 404 and "學校管理者" not in response.content.decode()


def _count_storage_reads():
    """How many requests reach the S3 bucket from now on (0 on disk: nothing to count)."""
    if not hasattr(default_storage, "connection"):
        return lambda: 0
    calls: list[str] = []
    default_storage.connection.meta.client.meta.events.register(
        "before-call.s3", lambda model, **kw: calls.append(model.name)
    )
    return lambda: len(calls)
