"""Answering with a stored file's bytes (檔案回應): the whole file, the one byte range asked for,
or why not; and the page for a file whose bytes are gone.

Every view that hands out a stored file answers through here — evidence files (the owner, the
certifying teacher, the school, parents) and an application's files (the student, the
reviewers) — so each gets ranges for players and large PDFs, the same protective headers, and
the same plain page when storage has lost the bytes. Permission is the calling view's business.
"""

from __future__ import annotations

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header

from licheng.evidence.byteranges import RangeStream, is_remote
from licheng.evidence.domain.missing import report_missing
from licheng.evidence.models import StoredFile

# The file is shown as itself and nothing else: no scripts, no forms, no plugins beyond the
# browser's own PDF viewer; only our own pages may frame it (the certification preview).
FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
    "object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)

# One range of one unit; several ranges (multipart/byteranges) are answered with the whole file,
# which RFC 9110 §14.2 allows and which no browser's media player needs.
_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.ASCII | re.IGNORECASE)


class RangeNotSatisfiable(Exception):
    """The Range asks only for bytes past the end of the file (416)."""


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The byte range ``header`` asks for as (first, last), inclusive and clipped to the file;
    None for the whole file: no header, several ranges, or one that does not parse (a server
    may ignore a Range it does not understand, RFC 9110 §14.2)."""
    match = _RANGE.fullmatch(header.strip()) if len(header) <= 100 else None
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "-n": the last n bytes
        if int(last) == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - int(last)), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range: ignored, as the RFC says
    if start >= size:
        raise RangeNotSatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return start, end


def file_answer(request, handle, *, content_type: str, filename: str) -> HttpResponseBase:
    """``handle`` (an open storage file, closed with the response) as the answer to
    ``request``: 200 with the whole file, 206 with the one range asked for, or 416. Opened in
    the browser unless ``?download=1``."""
    response = _answer(request, handle, content_type, filename)
    # Audio and video players (Safari's above all) seek, and play only what answers ranges.
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def missing_file_page(request, stored: StoredFile) -> HttpResponse:
    """The row is there, its bytes are not: say so plainly, and tell the operators loudly."""
    report_missing(stored)  # critical: it pages someone (evidence/domain/missing.py)
    # 404, not 410 or 500. Retrying cannot help, so not a 5xx "try again later"; but the loss is
    # not known to be final either (the bytes can be restored from a backup, and then the same
    # address works again), which 410 Gone would claim, and caches may keep a 410.
    response = render(request, "web/evidence/file_missing.html", {"stored": stored}, status=404)
    response["Cache-Control"] = "private, no-store"
    return response


def _answer(request, handle, content_type: str, filename: str) -> HttpResponseBase:
    as_attachment = request.GET.get("download") == "1"
    size = handle.size
    try:
        # If-Range asks for the range only if the file is unchanged since a validator we sent;
        # we send none (no-store), so the whole file is the answer it allows.
        header = request.headers.get("Range")
        wanted = (
            requested_range(header, size) if header and "If-Range" not in request.headers else None
        )
    except RangeNotSatisfiable:
        handle.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if wanted is not None:
        start, end = wanted
        response = StreamingHttpResponse(
            RangeStream(handle, start, end), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    elif is_remote(handle):
        # S3File would download the whole object into memory before the first byte is sent:
        # the whole file is streamed from one GET instead, in chunks.
        response = StreamingHttpResponse(
            RangeStream(handle, 0, size - 1), content_type=content_type
        )
        response["Content-Length"] = str(size)
    else:
        return FileResponse(
            handle, content_type=content_type, as_attachment=as_attachment, filename=filename
        )
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response
