from __future__ import annotations

from decimal import Decimal

import pytest

from licheng.curriculum.models import Course, CourseEnrolment
from licheng.lib.roc import Term


@pytest.fixture
def term():
    return Term.current()


@pytest.fixture
def physics(school_a, term, teacher):
    course = Course.objects.create(
        school=school_a,
        academic_year=term.academic_year,
        semester=term.semester,
        code=f"{term.academic_year}310301H11A0101",
        name="物理",
        credits=2,
        category="national_required",
    )
    course.teachers.add(teacher)
    return course


@pytest.fixture
def graded(student, physics):
    return CourseEnrolment.objects.create(
        course=physics, student=student, original_grade=Decimal("58"), makeup_grade=Decimal("60")
    )


@pytest.fixture
def last_year(term):
    """The year students select for: the one that just ended (its selection window is opened)."""
    return term.academic_year - 1


@pytest.fixture
def selection_open(school_a, last_year, school_admin):
    import datetime as dt

    from django.utils import timezone

    from licheng.schools.domain.windows import set_window
    from licheng.schools.enums import WindowKind

    today = timezone.localdate()
    return set_window(
        school_a,
        kind=WindowKind.SELECTION,
        academic_year=last_year,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
        actor=school_admin,
    )


@pytest.fixture
def chemistry(school_a, last_year, teacher):
    course = Course.objects.create(
        school=school_a,
        academic_year=last_year,
        semester=1,
        code=f"{last_year}310301H11A0202",
        name="化學",
        credits=2,
        category="national_required",
    )
    course.teachers.add(teacher)
    return course


def stored_file(student, content: bytes, name: str = "報告.pdf"):
    import hashlib
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from licheng.evidence.models import StoredFile

    storage_name = default_storage.save(f"test/{uuid.uuid4().hex}.pdf", ContentFile(content))
    return StoredFile.objects.create(
        storage_name=storage_name,
        original_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        kind="pdf",
        owner=student,
    )


def make_outcome(student, course, title: str, *, certified_by=None, state: str = "", **files):
    """An outcome of ``course``: certified when a certifier is given, else submitted, or in
    ``state``; its files are ``document=``/``media=`` StoredFiles, or a small stand-in PDF."""
    from django.utils import timezone

    from licheng.portfolio.models import LearningOutcome

    state = state or ("certified" if certified_by else "submitted")
    return LearningOutcome.objects.create(
        student=student,
        course=course,
        academic_year=course.academic_year,
        semester=course.semester,
        title=title,
        description=f"{title}的簡述",
        state=state,
        certified_by=certified_by,
        certified_at=timezone.now() if certified_by else None,
        return_reason="unreadable" if state == "returned" else "",
        **(files or {"document": stored_file(student, f"%PDF-1.4 {title}".encode())}),
    )


def make_performance(student, year: int, title: str, description: str = "擔任志工"):
    import datetime as dt

    from licheng.portfolio.models import Performance

    performance = Performance.objects.create(
        student=student,
        academic_year=year,
        category="volunteer",
        title=title,
        activity_date=dt.date(year + 1911, 10, 1),
        description=description,
        state="submitted",
    )
    performance.files.add(stored_file(student, f"%PDF-1.4 {title}".encode(), name="證明.pdf"))
    return performance


def uploaded(student, name: str, content: bytes):
    """A file the student uploaded, checked and stored as any upload is."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from licheng.evidence import rules
    from licheng.evidence.domain.files import store_upload

    return store_upload(
        SimpleUploadedFile(name, content), rules.PROOF, owner=student, uploaded_by=student.user
    )


def send_transfer(client, student, to_school, capture):
    """The school transfers ``student`` out on its page (R38); the central record it sends.
    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``: the job runs."""
    from licheng.central.models import CentralRecord

    with capture(execute=True):
        client.post(
            "/school/transfers/start/",
            {"student_number": student.student_number, "transfer_to": to_school.code},
        )
    return CentralRecord.objects.get(kind="transfer", student__national_id=student.national_id)


def foreign_package(to_code: str, *, corrupt: bool = False, category: str = "") -> bytes:
    """A transfer package another vendor's platform wrote: an outcome and a performance (of
    ``category`` as that platform names it, when given)."""
    from licheng.devtools import samples
    from tests.central.packages import file_entry, manifest, performance, student_entry, zip_bytes

    good, proof = samples.pdf_bytes("outcome"), samples.pdf_bytes("proof")
    outcome_item = {
        "id": "X-1",
        "type": "course_outcome",
        "state": "certified",
        "academic_year": 113,
        "semester": 1,
        "title": "專題報告",
        "description": "分工與反思",
        "course_code": "113999999H11A0101",
        "course_name": "專題實作",
        "certified_on": "2025-01-20",
        "files": [file_entry(good, name="專題報告")],  # no extension: the type says pdf
    }
    perf = {**performance("X-2"), "activity_date": "2024-11-02", "files": [file_entry(proof)]}
    if category:
        perf["category"] = category
    entry = student_entry(
        national_id="A123456789",
        items=[outcome_item, perf],
        basic={"enrolment_date": "2024-08-01", "status": "enrolled"},
    )
    m = manifest(school_code="999999", students=[entry], kind="transfer", transfer_to=to_code)
    files = {file_entry(good)["sha256"]: good, file_entry(proof)["sha256"]: proof}
    if corrupt:  # the second file's bytes changed in transit, its size kept
        files[file_entry(proof)["sha256"]] = proof[:-2] + b"X\n"
    return zip_bytes(m, files)
