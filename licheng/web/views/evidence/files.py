"""Serving a stored file (檔案下載/預覽): permission-checked, never from a public URL."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin

from licheng.audit.domain import record
from licheng.evidence.access import may_read
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


@login_required
@xframe_options_sameorigin
def evidence_file(request, pk):
    stored = StoredFile.objects.select_related("owner").filter(pk=pk).first()
    # 404, not 403, for files one may not read: their existence is not disclosed.
    if stored is None or not may_read(request.user, stored):
        raise Http404
    if (stored.owner is None or stored.owner.user_id != request.user.pk) and _opens(request):
        # R35: who read whose file is logged — once per opening, not once per seek of a player.
        record(
            "evidence.file.read",
            actor=request.user,
            obj=stored,
            school=stored.owner.school if stored.owner else None,
        )
    try:
        handle = default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError:
        return _missing(request, stored)
    response = _answer(request, stored, handle)
    # Audio and video players (Safari's above all) seek, and play only what answers ranges.
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def _answer(request, stored: StoredFile, handle) -> HttpResponseBase:
    """The whole file (200), the one range asked for (206), or why not (416)."""
    as_attachment = request.GET.get("download") == "1"
    size = handle.size
    try:
        # If-Range asks for the range only if the file is unchanged since a validator we sent;
        # we send none (no-store), so the whole file is the answer it allows.
        wanted = None if "If-Range" in request.headers else _range_of(request, size)
    except RangeNotSatisfiable:
        handle.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if wanted is not None:
        return _partial(stored, handle, wanted, size, as_attachment)
    if is_remote(handle):
        # S3File would download the whole object into memory before the first byte is sent:
        # the whole file is streamed from one GET instead, in chunks.
        response = StreamingHttpResponse(
            RangeStream(handle, 0, size - 1), content_type=stored.content_type
        )
        response["Content-Length"] = str(size)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, stored.original_name
        )
        return response
    return FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=as_attachment,
        filename=stored.original_name,
    )


def _opens(request) -> bool:
    """Whether the request opens the file (no range, or one from its first byte), rather than
    a player's seek or continuation within a file already opened."""
    header = request.headers.get("Range", "").strip().lower().replace(" ", "")
    return not header or header.startswith("bytes=0-")


def _range_of(request, size: int) -> tuple[int, int] | None:
    header = request.headers.get("Range")
    return requested_range(header, size) if header else None


def _partial(stored: StoredFile, handle, wanted: tuple[int, int], size: int, as_attachment):
    """206 Partial Content: just the asked bytes, read from storage in chunks."""
    start, end = wanted
    response = StreamingHttpResponse(
        RangeStream(handle, start, end), status=206, content_type=stored.content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment, stored.original_name
    )
    return response


def _missing(request, stored: StoredFile) -> HttpResponse:
    """The row is there, its bytes are not: say so plainly, and tell the operators loudly."""
    report_missing(stored)  # critical: it pages someone (evidence/domain/missing.py)
    # 404, not 410 or 500. Retrying cannot help, so not a 5xx "try again later"; but the loss is
    # not known to be final either (the bytes can be restored from a backup, and then the same
    # address works again), which 410 Gone would claim, and caches may keep a 410.
    response = render(request, "web/evidence/file_missing.html", {"stored": stored}, status=404)
    response["Cache-Control"] = "private, no-store"
    return response
