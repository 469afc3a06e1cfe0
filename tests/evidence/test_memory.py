"""Uploads stream to storage in chunks: memory per upload stays bounded whatever the file size."""

from __future__ import annotations

import struct
import tracemalloc

import pytest
from django.test import Client
from django.utils import timezone

from licheng.devtools import samples
from licheng.evidence.models import StoredFile

BOUNDARY = "----licheng-memory-test"
CEILING = 3 * 1024 * 1024  # a 10 MB upload may use at most 3 MB of Python memory


def near_10_mb_mp4() -> bytes:
    """A real MP4 grown to just under 10 MB with a ``free`` box (valid padding)."""
    clip = samples.mp4_bytes()
    pad = 10 * 1024 * 1024 - len(clip) - 1024
    return clip + struct.pack(">I4s", pad + 8, b"free") + b"\0" * pad


def write_multipart(
    path, fields: dict[str, str], file_field: str, filename: str, payload: bytes
) -> int:
    with open(path, "wb") as out:
        for name, value in fields.items():
            out.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: video/mp4\r\n\r\n".encode()
        )
        for start in range(0, len(payload), 1 << 20):
            out.write(payload[start : start + (1 << 20)])
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
        return out.tell()


@pytest.mark.slow
def test_10_mb_upload_stays_under_a_memory_ceiling(student, windows_open, tmp_path, settings):
    fields = {
        "category": "work",
        "title": "影片作品",
        "activity_date": timezone.localdate().isoformat(),
        "detail_work_work_type": "影片",
        "detail_work_team": "個人",
    }
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = Client()
    client.force_login(student.user, backend="licheng.accounts.backends.AccountBackend")
    # A small upload first, so imports and template compilation are not counted as upload memory.
    warm = tmp_path / "warm.bin"
    warm_size = write_multipart(warm, fields, "files", "小.mp4", samples.mp4_bytes())
    with open(warm, "rb") as stream:
        client.handler(_environ(client, stream, warm_size))
    body = tmp_path / "body.bin"
    size = write_multipart(body, fields, "files", "作品.mp4", near_10_mb_mp4())
    with open(body, "rb") as stream:
        environ = _environ(client, stream, size)
        tracemalloc.start()
        try:
            response = client.handler(environ)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StoredFile.objects.order_by("-size").first().size > 9 * 1024 * 1024
    assert peak < CEILING, f"peak {peak / 1e6:.1f} MB"


def _environ(client, stream, size):
    return client._base_environ(
        PATH_INFO="/performances/",
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": stream},
    )
