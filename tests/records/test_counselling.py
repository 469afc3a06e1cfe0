"""Counselling records (R7): advisees only, ≤ 100 characters, pdf/jpg/png ≤ 2 MB, never exported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licheng.accounts.enums import Role
from licheng.curriculum.domain import counselling as domain
from licheng.curriculum.queries import central_exportable_records
from licheng.devtools import samples
from licheng.lib.roc import Term
from tests.factories import staff


@pytest.fixture
def counsellor(school_a, homeroom_class, school_admin):
    user = staff(Role.COUNSELOR, school_a, full_name="諮詢老師")
    domain.assign_counsellor(homeroom_class, actor=school_admin, counsellor=user)
    return user


def _write(student, counsellor, **extra):
    values = {"held_on": dt.date.today(), "description": "討論選修方向"} | extra
    return domain.write_record(student, counsellor=counsellor, **values)


def _pdf(name="n.pdf"):
    return SimpleUploadedFile(name, samples.pdf_bytes("counselling"))


def test_r7_counsellor_writes_for_an_advisee_with_a_file(student, counsellor):
    png = SimpleUploadedFile("map.png", samples.png_bytes())
    rec = _write(student, counsellor, upload=png)
    stored = rec.stored_file
    assert (len(stored.sha256), stored.kind, stored.owner) == (64, "png", None)


def test_r7_only_for_advisees(other_student, counsellor):
    with pytest.raises(domain.CounsellingError):
        _write(other_student, counsellor)


def test_r7_description_at_most_100_characters(student, counsellor):
    _write(student, counsellor, description="學" * 100)
    with pytest.raises(domain.CounsellingError, match="100"):
        _write(student, counsellor, description="學" * 101)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.exe", b"MZ", "不接受的檔案類型"),
        ("a.mp3", b"ID3", "不接受的檔案類型"),
        ("a.pdf", b"not a pdf", "與副檔名"),
        ("a.pdf", samples.pdf_bytes(pad_to=2 * 1024 * 1024 + 10), "2 MB"),
    ],
)
def test_r7_file_rules(student, counsellor, name, content, reason):
    with pytest.raises(domain.CounsellingError, match=reason):
        _write(student, counsellor, upload=SimpleUploadedFile(name, content))


def test_r7_visible_to_student_counsellor_and_admin_only(
    login, student, counsellor, teacher, school_admin, parent, other_school_admin
):
    rec = _write(student, counsellor, upload=_pdf())
    url = reverse("web:evidence_file", args=[rec.stored_file_id])
    for who, status in [
        (student.user, 200),
        (counsellor, 200),
        (school_admin, 200),
        (teacher, 404),
        (parent, 404),
        (other_school_admin, 404),
    ]:
        assert login(who).get(url).status_code == status, who
    assert "討論選修方向" in login(student.user).get(reverse("web:records_my")).content.decode()


def test_r7_counselling_records_never_in_the_central_export(student, counsellor, enrolment):
    """R7: they stay on the school platform and are never sent to the central repository."""
    secret = "只在學校平臺的諮詢內容"
    rec = _write(student, counsellor, description=secret, upload=_pdf())
    term = Term(rec.academic_year, rec.semester)
    export = central_exportable_records(student.school, term)
    text = repr(export)
    assert secret not in text and rec.stored_file.sha256 not in text
    assert "counsel" not in text.lower()
    assert set(export) == {"students", "course_records", "cadres"}
    assert export["course_records"] or enrolment.course.term != term


def test_r7_page_writes_a_record(login, student, counsellor):
    response = login(counsellor).post(
        reverse("web:records_counselling"),
        {"student": student.pk, "held_on": "2025-03-01", "description": "學群探索"},
    )
    assert response.status_code == 302
    assert student.counselling_records.get().description == "學群探索"


def test_r7_admin_assigns_and_removes_a_counsellor(login, school_admin, school_a, homeroom_class):
    user = staff(Role.COUNSELOR, school_a)
    client = login(school_admin)
    url = reverse("web:records_counsellors")
    client.post(url, {"school_class": homeroom_class.pk, "counsellor": user.pk})
    assert homeroom_class.counsellors.filter(counsellor=user).exists()
    assert user.full_name in client.get(url).content.decode()
    client.post(url, {"school_class": homeroom_class.pk, "counsellor": user.pk, "action": "remove"})
    assert not homeroom_class.counsellors.exists()


def test_r7_another_schools_counsellor_cannot_be_assigned(
    login, school_admin, school_b, homeroom_class
):
    foreign = staff(Role.COUNSELOR, school_b)
    login(school_admin).post(
        reverse("web:records_counsellors"),
        {"school_class": homeroom_class.pk, "counsellor": foreign.pk},
    )
    assert not homeroom_class.counsellors.exists()


def test_r35_reading_a_counselling_attachment_is_logged(login, student, counsellor, school_admin):
    from licheng.audit.models import AuditEntry

    rec = _write(student, counsellor, upload=_pdf())
    login(school_admin).get(reverse("web:evidence_file", args=[rec.stored_file_id]))
    entry = AuditEntry.objects.get(action="evidence.file.read")
    assert (entry.actor, entry.object_id) == (school_admin, str(rec.stored_file_id))
