"""Serving a stored file (檔案下載/預覽): permission-checked, never from a public URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from licheng.audit.domain import record
from licheng.evidence.access import may_read
from licheng.evidence.models import StoredFile
from licheng.web.file_answers import file_answer, missing_file_page


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
        return missing_file_page(request, stored)
    return file_answer(
        request, handle, content_type=stored.content_type, filename=stored.original_name
    )


def _opens(request) -> bool:
    """Whether the request opens the file (no range, or one from its first byte), rather than
    a player's seek or continuation within a file already opened."""
    header = request.headers.get("Range", "").strip().lower().replace(" ", "")
    return not header or header.startswith("bytes=0-")
