"""Central records of the cast's students, made through the real intake."""

from __future__ import annotations

import io

from licheng.central.domain.intake import ingest_package
from licheng.central.models import CentralRecord

from .packages import file_entry, manifest, outcome, performance, student_entry, zip_bytes


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
    """``student`` (of another school) transferring to ``to_school``, received centrally: a
    course record, a certified outcome and a performance, each with a real PDF (R38)."""
    from licheng.devtools.samples import pdf_bytes

    report, proof = pdf_bytes("outcome o1"), pdf_bytes("performance p1")
    entry = student_entry(
        national_id=student.national_id,
        student_number=student.student_number,
        name=student.name,
        items=[
            outcome("o1", report),
            {**performance("p1"), "activity_date": "2024-10-01", "files": [file_entry(proof)]},
        ],
        basic={"class_name": "機一甲", "enrolment_date": "2024-08-01", "status": "enrolled"},
        courses=[
            {
                "academic_year": 113,
                "semester": 1,
                "code": "113310301H11A0101",
                "name": "物理",
                "credits": 2,
                "category": "部定必修",
                "original_grade": "58.00",
                "makeup_grade": "60.00",
                "retake_grade": None,
            }
        ],
    )
    m = manifest(
        school_code=student.school.code,
        students=[entry],
        kind="transfer",
        transfer_to=to_school.code,
    )
    files = {file_entry(b)["sha256"]: b for b in (report, proof)}
    ingest_package(io.BytesIO(zip_bytes(m, files)), school=student.school)
    return CentralRecord.objects.get(
        student__national_id=student.national_id, is_current=True, kind="transfer"
    )


def receive_on_page(client, capture, url: str, data: dict | None = None) -> str:
    """Post one of the transfers page's ways in (轉入, R38) and let the background job run
    (``capture`` is pytest-django's ``django_capture_on_commit_callbacks``); the page after it."""
    with capture(execute=True):
        client.post(url, data or {})
    return client.get("/school/transfers/").content.decode()
