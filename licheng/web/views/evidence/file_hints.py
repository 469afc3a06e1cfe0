"""Quality hints for a file the student has just chosen (選檔時的品質提示), an htmx partial.

The upload forms post the chosen file here as soon as it is picked, before the form is saved: the
upload's own checks run on it (R10, R16) and a PDF's pages are counted (reviewers read a few
pages); nothing is stored.
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
from licheng.evidence.domain.validation import EvidenceRejected, extension_of, inspect_upload
from licheng.evidence.uploads import HashingUploadHandler
from licheng.portfolio.domain.performances import MAX_FILES
from licheng.portfolio.hints import Hint, chosen_file_hints, too_many_files
from licheng.portfolio.queries import student_of

TEMPLATE = "web/evidence/_file_hints.html"
# The most an upload form sends: three proofs at the largest limit, plus the form's own fields.
MAX_BODY = MAX_FILES * rules.PROOF.largest + 256 * 1024
DRAIN_CAP = 4 * MAX_BODY  # beyond this the client is not a browser form; stop reading


# The kinds each upload slot takes, by the name of its file input.
SLOT_RULES = {"document": rules.DOCUMENT, "media": rules.MEDIA, "files": rules.PROOF}


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


def _check(upload, slot: rules.KindRules) -> ChosenFile:
    """The hints for one chosen file: the upload's own checks run on it (nothing is stored), so
    a renamed, damaged or encrypted file is named now, not after the form is sent."""
    kind = rules.EXTENSIONS.get(extension_of(upload.name or ""))
    limit = slot.limits.get(kind) if kind else None
    pages, refusal = None, ""
    if limit is not None and upload.size <= limit:
        try:
            pages = inspect_upload(upload, upload.name, upload.size, slot, digest=False).page_count
        except EvidenceRejected as exc:
            refusal = exc.message
    hints = chosen_file_hints(
        size=upload.size,
        limit=limit,
        page_count=pages,
        accepted=slot.extensions_label,
        refusal=refusal,
    )
    return ChosenFile(upload.name or "", pages, hints, upload.size)


@csrf_protect
def _hints_for_files(request):
    files: list[ChosenFile] = []
    extra: list[Hint] = []
    for field in request.FILES:
        uploads = [f for f in request.FILES.getlist(field) if f.name]
        if field == "files" and len(uploads) > MAX_FILES:
            skipped = [u.name for u in uploads[MAX_FILES:]]
            extra.append(too_many_files(len(uploads), MAX_FILES, skipped))
        # Every chosen file gets a line, so a student choosing three sees that all three were read.
        slot = SLOT_RULES.get(field, rules.PROOF)
        files += [_check(upload, slot) for upload in uploads[:MAX_FILES]]
    context = {
        "files": files,
        "extra": extra,
        "refused": extra or any(h.refused for c in files for h in c.hints),
        "advised": any(not h.refused for c in files for h in c.hints),
        "fine": any(not c.hints for c in files),
    }
    return render(request, TEMPLATE, context)


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
        return render(request, TEMPLATE, {"too_big": refused})
    # Nothing is kept: the body is received without the SHA-256 an upload needs (deadline day
    # brings every file here once before it is uploaded).
    request.upload_handlers = [HashingUploadHandler(request, digest=False)]
    return _hints_for_files(request)
