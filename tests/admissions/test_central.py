"""Picking from the central repository (R27): the current record's items, certified, with their
files; R26: applying starts the archive clock and sealed data is not released."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from licheng.admissions.domain import AdmissionError, applications, packages
from licheng.admissions.enums import ChannelKind, ItemKind, ItemOrigin
from licheng.admissions.sources import portfolio_items
from licheng.central.domain.intake import ingest_package
from licheng.central.models import CentralStudent
from tests.central.packages import manifest, outcome, performance, student_entry, zip_bytes

from .fixtures import PDF_BYTES, department

pytestmark = pytest.mark.django_db


def _record(student) -> None:
    """The student's annual record received through the central intake, with real PDFs."""
    pdfs = [PDF_BYTES, PDF_BYTES + b"\n"]
    items = [
        outcome("o1", pdfs[0]),
        outcome("o2", pdfs[1], course_name="機械專題實作"),
        performance("p1"),
    ]
    entry = student_entry(
        national_id=student.national_id,
        student_number=student.student_number,
        name=student.name,
        items=items,
    )
    m = manifest(school_code=student.school.code, students=[entry])
    files = {i["files"][0]["sha256"]: pdf for i, pdf in zip(items, pdfs, strict=False)}
    ingest_package(io.BytesIO(zip_bytes(m, files)), school=student.school)


def test_student_picks_from_the_current_central_record(student):
    """R27: the items come from the central repository's current record, with their files."""
    _record(student)
    items = {p.title: p for p in portfolio_items(student)}

    assert items["成果 o1"].kind == ItemKind.OUTCOME
    assert items["成果 o2"].kind == ItemKind.PROJECT_OUTCOME  # R28 counts these apart
    assert items["表現 p1"].kind == ItemKind.PERFORMANCE
    assert items["成果 o1"].content_type == "application/pdf" and items["成果 o1"].sha256
    assert items["表現 p1"].detail.endswith("志工服務")


def test_reviewers_see_a_performances_category_fields(student):
    """R15 (exchange format 1.1): the item's detail names its category's fields."""
    from tests.central.records import make_record

    details = {"organization": "市立圖書館", "hours": 24}
    make_record(student, items=[{**performance("p2"), "details": details}])
    (item,) = portfolio_items(student)
    assert item.detail.endswith("志工服務 · 服務單位：市立圖書館、服務時數：24")


def test_a_transfer_record_offers_nothing_to_admissions(student, school_b):
    """R14, R22, R38: a transfer record carries every item in its state (drafts, returned);
    only the annual records, the year's certified selection, are offered."""
    from tests.central.records import make_record, make_transfer

    make_record(student, items=[performance("p1")])
    make_transfer(student, school_b)
    assert [p.title for p in portfolio_items(student)] == ["表現 p1"]


def test_picked_central_items_are_certified_and_their_pages_are_in_the_package(student):
    """R39: items from the central repository are marked certified; the PDF has their pages."""
    _record(student)
    dept = department(ChannelKind.TECH_SELECTION, code="C01")
    registration = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(registration, dept, actor=None)
    refs = [p.ref for p in portfolio_items(student)]
    applications.pick_items(app, refs, actor=None)
    app = applications.submit(app, actor=None)

    item = app.items.get(kind=ItemKind.OUTCOME)
    assert item.origin == ItemOrigin.CENTRAL and item.central_item.title == "成果 o1"
    assert all(i["certified"] for i in app.snapshot["items"])
    reader = PdfReader(io.BytesIO(packages.package_pdf(app)))
    # cover, contents, D1, D2, then per item: metadata (+ one page for each PDF outcome)
    assert len(reader.pages) == 4 + 3 + 2


def test_registering_starts_the_archive_clock(student):
    """R26: the five-year archive clock starts at the first admission application."""
    _record(student)
    dept = department(code="C02")
    applications.register(student, dept.channel, consent=True, actor=None)
    central = CentralStudent.objects.get(national_id=student.national_id)
    assert central.first_applied_on == timezone.localdate()


def test_sealed_data_is_not_released(student):
    """R26: archived (sealed) data is no longer released."""
    _record(student)
    dept = department(code="C03")
    registration = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(registration, dept, actor=None)
    applications.pick_items(app, [portfolio_items(student)[0].ref], actor=None)
    CentralStudent.objects.filter(national_id=student.national_id).update(sealed_at=timezone.now())

    assert portfolio_items(student) == []
    with pytest.raises(AdmissionError, match="封存"):
        applications.submit(app, actor=None)


def test_without_a_central_record_the_student_uploads(student):
    """R39: no central portfolio → the registration says so and uploads are asked for."""
    dept = department(code="C04")
    registration = applications.register(student, dept.channel, consent=True, actor=None)
    assert registration.has_central_portfolio is False
    assert portfolio_items(student) == []
