"""Sending a package to the central repository (傳送封包).

By default the central repository is hosted by this same installation and the package is handed
to its intake in-process (the setting names the function, so this app does not import the tier
above it). With ``LICHENG_CENTRAL_URL`` set, the package is streamed to the intake API over HTTPS
with the school's key, never held in memory whole.
"""

from __future__ import annotations

import http.client
import json
import secrets
import urllib.parse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from licheng.lib.exchange import PackageError
from licheng.schools.models import School

CHUNK = 1024 * 1024
TIMEOUT = 600


class SendError(RuntimeError):
    """The central repository did not accept the package; the message says why."""


def send_package(path: Path, school: School) -> dict[str, Any]:
    """Send the package at ``path`` for ``school``; returns the receipt (收訖明細)."""
    if not settings.LICHENG_CENTRAL_URL:
        intake = import_string(settings.LICHENG_CENTRAL_INTAKE)
        try:
            with open(path, "rb") as stream:
                return intake(stream, school=school).receipt
        except PackageError as exc:
            raise SendError(str(exc)) from exc
    return _post(path, school)


def _post(path: Path, school: School) -> dict[str, Any]:
    key = settings.LICHENG_CENTRAL_KEYS.get(school.code)
    if not key:
        raise SendError(f"沒有 {school.code} 的中央資料庫金鑰（LICHENG_CENTRAL_KEYS）")
    url = urllib.parse.urlsplit(
        settings.LICHENG_CENTRAL_URL.rstrip("/") + "/api/v1/central/packages"
    )
    boundary = f"licheng-{secrets.token_hex(12)}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="package"; filename="package.zip"'
        "\r\nContent-Type: application/zip\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection_class = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    conn = connection_class(url.netloc, timeout=TIMEOUT)
    try:
        conn.putrequest("POST", url.path)
        conn.putheader("Authorization", f"Bearer {key}")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(head) + path.stat().st_size + len(tail)))
        conn.endheaders()
        conn.send(head)
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                conn.send(chunk)
        conn.send(tail)
        response = conn.getresponse()
        body = response.read()
    except OSError as exc:
        raise SendError(f"無法連線到中央資料庫：{exc}") from exc
    finally:
        conn.close()
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if response.status != 200:
        raise SendError(data.get("detail") or f"中央資料庫回應 HTTP {response.status}")
    return data
