"""Re-exporting what the central repository holds as an exchange package (R38, R40).

A receiving school downloads a transferring student's record in the same format the sending
school used, files included, so a platform of any vendor can import it; the bytes come from the
content-addressed store and are checked against their SHA-256 on the way out.
"""

from __future__ import annotations

import functools
from typing import IO, Any

from django.utils import timezone

from licheng.audit.domain import record as audit
from licheng.lib.exchange import FORMAT_VERSION, listed_files, write_package

from ..enums import PackageKind
from ..models import Blob, CentralRecord
from .blobs import open_blob


def record_manifest(record: CentralRecord) -> dict[str, Any]:
    """The manifest of one received record: the student's entry exactly as it arrived."""
    manifest: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "package_kind": record.kind,
        "school": {"code": record.school.code, "name": record.school.name},
        "academic_year": record.academic_year,
        "semester": record.semester or None,
        "created_at": timezone.now().isoformat(),
        "students": [record.entry],
    }
    if record.kind == PackageKind.TRANSFER:
        manifest["transfer_to"] = record.student.school.code
    return manifest


def write_record_package(record: CentralRecord, out: IO[bytes], *, actor: Any) -> None:
    """Write the package of one record (下載轉學封包); audited: it carries personal data."""
    manifest = record_manifest(record)
    blobs = Blob.objects.filter(sha256__in=listed_files(manifest))
    write_package(manifest, {b.sha256: functools.partial(open_blob, b) for b in blobs}, out)
    audit("central.record.export", actor=actor, obj=record, school=record.school)
