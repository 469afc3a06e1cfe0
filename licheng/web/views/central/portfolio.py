"""The student's whole portfolio as one zip with a readable index.html (R40)."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from licheng.accounts.enums import Role
from licheng.selection.domain.export import write_portfolio_zip

from ...permissions import require_role


@login_required
def portfolio_zip(request):
    require_role(request.user, Role.STUDENT)
    student = request.user.student
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_portfolio_zip(student, spool, actor=request.user)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"portfolio-{student.student_number}.zip"
    )
