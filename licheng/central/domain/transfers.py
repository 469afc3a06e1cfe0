"""Transfers in from the central repository (轉入, R38): the receiving school takes the record.

The central repository already holds the transfer record and its files (checked when the sending
school's package arrived). The receiving school's import reads those same bytes from the
content-addressed store and checks each against the manifest's SHA-256 again on the way in,
then ``selection.domain.transfer_in.receive_transfer`` does the rest. The central record itself
is only read: it stays whole.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from licheng.schools.models import School
from licheng.selection.domain.transfer_in import (
    TransferError,
    TransferReport,
    TransferSource,
    receive_transfer,
)

from ..models import Blob, CentralRecord
from .blobs import open_blob


def receive_central_transfer(
    record: CentralRecord, *, school: School, student_number: str = "", actor: Any
) -> TransferReport:
    """Receive the student of ``record`` at ``school`` (轉入) from the central repository."""
    if record.student.is_sealed:
        raise TransferError(_("這位學生的中央資料已封存，不能再取用"))  # R26

    def open_file(sha256: str) -> IO[bytes]:
        blob = Blob.objects.filter(sha256=sha256).first()
        if blob is None:
            raise FileNotFoundError(sha256)  # reported as a file that cannot be read
        return open_blob(blob)

    source = TransferSource(
        entry=record.entry,
        from_code=record.school.code,
        from_name=record.school.name,
        to_code=record.student.school.code,
        open_file=open_file,
        origin=f"central record {record.pk}",
    )
    return receive_transfer(source, school=school, student_number=student_number, actor=actor)
