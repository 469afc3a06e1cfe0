"""Serving a stored file (檔案下載/預覽): permission-checked, never from a public URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from licheng.audit.domain import record
from licheng.evidence.access import may_read
from licheng.evidence.models import StoredFile

# The file is shown as itself and nothing else: no scripts, no forms, no plugins beyond the
# browser's own PDF viewer; only our own pages may frame it (the certification preview).
FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
    "object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


@login_required
@xframe_options_sameorigin
def evidence_file(request, pk):
    stored = StoredFile.objects.select_related("owner").filter(pk=pk).first()
    # 404, not 403, for files one may not read: their existence is not disclosed.
    if stored is None or not may_read(request.user, stored):
        raise Http404
    if stored.owner is None or stored.owner.user_id != request.user.pk:
        # R35: who read whose file is logged.
        record(
            "evidence.file.read",
            actor=request.user,
            obj=stored,
            school=stored.owner.school if stored.owner else None,
        )
    response = FileResponse(
        default_storage.open(stored.storage_name, "rb"),
        content_type=stored.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response
