"""Central records of the cast's students, made through the real intake."""

from __future__ import annotations

import io

from licheng.central.domain.intake import ingest_package
from licheng.central.models import CentralRecord

from .packages import manifest, outcome, performance, student_entry, zip_bytes


def make_record(student, *, items=None) -> CentralRecord:
    """The current annual record of a school student (schools.Student); the same call again
    re-sends the same package, which changes nothing (R25)."""
    entry = student_entry(
        national_id=student.national_id,
        student_number=student.student_number,
        name=student.name,
        items=items if items is not None else [outcome("o1"), performance("p1")],
    )
    m = manifest(school_code=student.school.code, students=[entry])
    ingest_package(io.BytesIO(zip_bytes(m)), school=student.school)
    return CentralRecord.objects.get(
        student__national_id=student.national_id, is_current=True, kind="annual"
    )


def make_transfer(student, to_school) -> CentralRecord:
    """``student`` (of another school) transferring to ``to_school``, received centrally."""
    entry = student_entry(
        national_id=student.national_id,
        student_number=student.student_number,
        name=student.name,
        items=[outcome("o1"), performance("p1")],
        basic={"class_name": "機一甲", "enrolment_date": "2025-08-01", "status": "enrolled"},
    )
    m = manifest(
        school_code=student.school.code,
        students=[entry],
        kind="transfer",
        transfer_to=to_school.code,
    )
    ingest_package(io.BytesIO(zip_bytes(m)), school=student.school)
    return CentralRecord.objects.get(
        student__national_id=student.national_id, is_current=True, kind="transfer"
    )
