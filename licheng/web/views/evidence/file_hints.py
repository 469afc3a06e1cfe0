"""Quality hints for a file the student has just chosen (選檔時的品質提示), an htmx partial.

The upload forms post the chosen file here as soon as it is picked, before the form is saved:
a PDF's pages are counted (R10, R16 hints: reviewers read a few pages) and nothing is stored.
Warns, never blocks. The body is bounded: above what an upload could ever be, it is read
away unparsed and the student is told politely why there is no hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from licheng.evidence import rules
from licheng.evidence.domain.pages import pdf_page_count
from licheng.evidence.domain.validation import extension_of
from licheng.evidence.enums import FileKind
from licheng.portfolio.domain.performances import MAX_FILES
from licheng.portfolio.hints import Hint, chosen_file_hints
from licheng.portfolio.queries import student_of

TEMPLATE = "web/evidence/_file_hints.html"
# The most an upload form sends: three proofs at the largest limit, plus the form's own fields.
MAX_BODY = MAX_FILES * rules.PROOF.largest + 256 * 1024
DRAIN_CAP = 4 * MAX_BODY  # beyond this the client is not a browser form; stop reading


@dataclass(frozen=True)
class ChosenFile:
    name: str
    pages: int | None
    hints: list[Hint]
    size: int = 0


def _drain(request) -> None:
    """Read the body away in chunks, unparsed (no memory, no temporary file), so the browser
    gets the answer instead of a reset connection."""
    left = DRAIN_CAP
    while left > 0 and (chunk := request.read(min(left, 64 * 1024))):
        left -= len(chunk)


def _check(upload) -> ChosenFile:
    kind = rules.EXTENSIONS.get(extension_of(upload.name or ""))
    limit = rules.PROOF.limits.get(kind) if kind else None
    pages = None
    if kind == FileKind.PDF and limit is not None and upload.size <= limit:
        pages = pdf_page_count(upload)
    hints = chosen_file_hints(size=upload.size, limit=limit, page_count=pages)
    return ChosenFile(upload.name or "", pages, hints, upload.size)


@csrf_protect
def _hints_for_files(request):
    uploads = [f for name in request.FILES for f in request.FILES.getlist(name)][:MAX_FILES]
    # Every chosen file gets a line, so a student choosing three sees that all three were read.
    files = [_check(upload) for upload in uploads if upload.name]
    warned = any(c.hints for c in files)
    return render(request, TEMPLATE, {"files": files, "warned": warned})


# CSRF is checked by _hints_for_files once the body is known to be of a sane size: Django's
# check would otherwise parse (and spool to disk) whatever body arrives, before this view runs.
@csrf_exempt
@require_POST
@login_required
def file_hints(request):
    """Page count and hints for the chosen file(s); a logged-in student only."""
    student_of(request.user)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        _drain(request)
        refused = _(
            "所選檔案太大，無法預先檢查；文件檔上限 %(document)s、影音檔上限 %(media)s，"
            "超過的檔案上傳時不會被接受。"
        ) % {
            "document": rules.megabytes(rules.DOCUMENT_MAX_BYTES),
            "media": rules.megabytes(rules.MEDIA_MAX_BYTES),
        }
        return render(request, TEMPLATE, {"refused": refused})
    return _hints_for_files(request)
