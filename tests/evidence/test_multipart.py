"""The one-pass multipart reader (evidence/multipart.py) against Django's own parser: the same
fields and files for any well-formed body, however it is cut into chunks; a clear 400 for a
broken one, with nothing left behind."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from licheng.evidence.multipart import read_form
from licheng.evidence.uploads import HashingUploadHandler

NAMES = st.sampled_from(["title", "description", "course", "成果", "a b", "document", "x"])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
FILENAMES = st.sampled_from(["成果.pdf", "a.png", "report final.pdf", "", "c:\\path\\x.mp3"])
CONTENT = st.binary(max_size=300) | st.sampled_from([b"\r\n", b"--", b"\r\n--", b"\r\n\r\n"])


def body_of(parts, boundary: str) -> bytes:
    """The body a browser sends for ``parts``: ("field", name, text) or ("file", name,
    filename, content type, bytes)."""
    out = []
    for part in parts:
        if part[0] == "field":
            _kind, name, text = part
            head = f'Content-Disposition: form-data; name="{name}"'.encode()
            data = text.encode()
        else:
            _kind, name, filename, content_type, data = part
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}"
            ).encode()
        out.append(b"--" + boundary.encode() + b"\r\n" + head + b"\r\n\r\n" + data + b"\r\n")
    out.append(b"--" + boundary.encode() + b"--\r\n")
    return b"".join(out)


def django_reads(body: bytes, boundary: str):
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(len(body))}  # fmt: skip
    post, files = MultiPartParser(meta, io.BytesIO(body), [MemoryFileUploadHandler()]).parse()
    return post, files


def we_read(body: bytes, boundary: str, chunk_size: int):
    return read_form(
        HashingUploadHandler(), io.BytesIO(body), len(body), boundary.encode(), "utf-8", chunk_size
    )


def as_plain(post, files):
    return (
        sorted(post.lists()),
        sorted(
            (name, [(f.name, f.read(), f.content_type) for f in kept])
            for name, kept in files.lists()
        ),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(
        st.one_of(
            st.tuples(st.just("field"), NAMES, TEXT),
            st.tuples(
                st.just("file"),
                NAMES,
                FILENAMES,
                st.sampled_from(["application/pdf", "image/png", "text/plain; charset=utf-8"]),
                CONTENT,
            ),
        ),
        max_size=6,
    ),
    boundary=st.text("0123456789abcdefABCDEF-_", min_size=1, max_size=40),
    chunk_size=st.integers(1, 200) | st.just(512 * 1024),
)
def test_a_well_formed_body_reads_as_djangos_parser_reads_it(parts, boundary, chunk_size):
    body = body_of(parts, boundary)
    # A browser picks a boundary that is in no part (Django would also cut at a bare one).
    assume(all(b"--" + boundary.encode() not in p[-1].encode() if p[0] == "field" else
               b"--" + boundary.encode() not in p[-1] for p in parts))  # fmt: skip
    ours = we_read(body, boundary, chunk_size)
    try:
        assert as_plain(*ours) == as_plain(*django_reads(body, boundary))
    finally:
        for kept in ours[1].values():
            kept.close()


def test_a_file_holding_every_beginning_of_the_delimiter_reads_whole_at_any_chunking():
    """Bytes that begin a delimiter and stop short (a CR, "CRLF--", "CRLF--boun") wait for the
    next chunk and then go to the file: wherever a chunk ends, the file is what was sent."""
    boundary = "bound4ry"
    delimiter = b"\r\n--" + boundary.encode()
    content = b"".join(delimiter[:k] + b"x" for k in range(1, len(delimiter))) + b"\r"
    parts = [("field", "title", "t"), ("file", "document", "a.pdf", "application/pdf", content)]
    body = body_of(parts, boundary)
    expected = as_plain(*django_reads(body, boundary))
    for chunk_size in [*range(1, len(content) + 40), 512 * 1024]:
        ours = we_read(body, boundary, chunk_size)
        try:
            assert as_plain(*ours) == expected, chunk_size
        finally:
            for kept in ours[1].values():
                kept.close()


@pytest.mark.parametrize(
    "body",
    [
        b"",  # nothing at all
        b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue',  # cut off
        b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--B',  # no closing "--"
        b"--Bx\r\n\r\n\r\n--B--",  # a boundary line with something after it
        b"--B\r\n" + b"X-Long: " + b"a" * 2000 + b"\r\n\r\n\r\n--B--\r\n",  # headers over 1 KiB
        b"no boundary at all",
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--B--\r\n",
    ],
)
def test_a_broken_body_is_a_400_and_leaves_no_staged_file(body, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "staging")
    with pytest.raises(MultiPartParserError):
        read_form(HashingUploadHandler(), io.BytesIO(body), max(len(body), 1), b"B", "utf-8", 7)
    staging = tmp_path / "staging"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_a_truncated_file_is_removed(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "staging")
    body = body_of([("file", "document", "a.pdf", "application/pdf", b"%PDF" * 1000)], "B")
    cut = body[: len(body) // 2]
    with pytest.raises(MultiPartParserError):
        read_form(HashingUploadHandler(), io.BytesIO(cut), len(body), b"B", "utf-8", 512)
    assert list((tmp_path / "staging").iterdir()) == []


def test_djangos_limits_hold(settings):
    body = body_of([("field", "a", "1"), ("field", "b", "2"), ("field", "c", "3")], "B")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    with pytest.raises(TooManyFieldsSent):
        we_read(body, "B", 64)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5
    with pytest.raises(RequestDataTooBig):
        we_read(body_of([("field", "title", "a long enough value")], "B"), "B", 64)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    two = [("file", "document", f"{n}.pdf", "application/pdf", b"x") for n in "ab"]
    with pytest.raises(TooManyFilesSent):
        we_read(body_of(two, "B"), "B", 64)


def test_an_upload_page_answers_a_broken_body_with_400(client, student):
    client.force_login(student.user)
    response = client.generic(
        "POST",
        "/outcomes/",
        b'--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nunfinished',
        content_type="multipart/form-data; boundary=B",
    )
    assert response.status_code == 400
