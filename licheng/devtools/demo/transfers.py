"""Demo data of transfers (轉學, R38): a 明德 student moves to 光華 with their whole record.

明德 starts the transfer (the package goes to the central repository); once that has committed,
光華 receives the student from the central repository: registration, course records, the
certified outcome and the school-registered performance with their files.
"""

from __future__ import annotations

import contextlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from licheng.central.domain.transfers import receive_central_transfer
from licheng.central.queries import incoming_transfers
from licheng.devtools import samples
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import certify_outcomes
from licheng.portfolio.domain.performances import create_performance
from licheng.portfolio.enums import OutcomeState, PerformanceSource
from licheng.portfolio.models import LearningOutcome
from licheng.schools.models import IncomingTransfer, School, Student
from licheng.selection.domain.transfer import start_transfer
from licheng.selection.enums import SubmissionKind
from licheng.selection.models import SubmissionJob

from . import DemoContext

FROM, TO = "313301", "440301"


def load(ctx: DemoContext) -> None:
    school_from, school_to = ctx.objects[f"school:{FROM}"], ctx.objects[f"school:{TO}"]
    movers = Student.objects.filter(school=school_from).order_by("student_number")
    mover = movers[2] if movers.count() > 2 else None  # not the students whose logins are shown
    if mover is None:
        return
    if not SubmissionJob.objects.filter(student=mover, kind=SubmissionKind.TRANSFER).exists():
        _give_items(ctx, mover)
        start_transfer(mover, transfer_to=school_to, actor=ctx.objects[f"{FROM}:admin"])
    # The transfer job runs when this step commits; the receipt must come after it.
    transaction.on_commit(lambda: _receive(ctx, mover, school_to))


def _give_items(ctx: DemoContext, mover: Student) -> None:
    """A certified outcome (the classmates' titration report) and a performance with a proof."""
    pending = LearningOutcome.objects.filter(student=mover, state=OutcomeState.SUBMITTED).first()
    if pending is not None:
        certify_outcomes([pending.pk], teacher=pending.course.teachers.first())
    with contextlib.suppress(PortfolioError):
        create_performance(
            mover,
            category="volunteer",
            title="社區圖書館志工",
            activity_date=max(mover.earliest_activity_date, timezone.localdate().replace(day=1)),
            details={"organization": "臺北市立圖書館", "hours": 20},
            description="每週六整理書架並帶小朋友讀繪本，共 20 小時。",
            files=[SimpleUploadedFile("志工時數證明.pdf", samples.pdf_bytes("Volunteer hours"))],
            source=PerformanceSource.SCHOOL,
            actor=ctx.objects[f"{FROM}:admin"],
        )


def _receive(ctx: DemoContext, mover: Student, school_to: School) -> None:
    done = IncomingTransfer.objects.filter(student__school=school_to, from_school_code=FROM)
    arrived = done.select_related("student").first()
    if arrived is None:
        record = incoming_transfers(school_to).filter(student__national_id=mover.national_id)
        if not record.exists():  # the job has not run (a database task queue with no worker yet)
            return
        arrived = receive_central_transfer(
            record.get(),
            school=school_to,
            student_number=f"T{mover.student_number}"[:20],
            actor=ctx.objects[f"{TO}:admin"],
        ).transfer
    ctx.login("學生（轉入，首次登入）", TO, arrived.student.student_number, mover.national_id)
