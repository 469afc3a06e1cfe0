"""Another school's administrator sees nothing of this school's records (404, never the data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licheng.accounts.enums import Role
from licheng.curriculum.domain import counselling
from licheng.curriculum.domain.imports import start_import
from licheng.devtools import samples
from tests.factories import staff


@pytest.fixture
def urls(school_a, school_admin, homeroom_class, student, course, enrolment):
    counsellor = staff(Role.COUNSELOR, school_a)
    counselling.assign_counsellor(homeroom_class, actor=school_admin, counsellor=counsellor)
    rec = counselling.write_record(
        student, counsellor=counsellor, held_on=dt.date.today(), description="選課",
        upload=SimpleUploadedFile("n.pdf", samples.pdf_bytes()),
    )  # fmt: skip
    batch = start_import(
        school_a, actor=school_admin, kind="cadres",
        upload=SimpleUploadedFile("c.csv", "學號,學年度,學期,層級,單位,職稱\n".encode()),
    )  # fmt: skip
    return [
        reverse("web:records_grades", args=[course.pk]),
        reverse("web:records_plan", args=[course.plan.pk]),
        reverse("web:records_student", args=[student.pk]),
        reverse("web:evidence_file", args=[rec.stored_file_id]),
        reverse("web:records_import", args=[batch.pk]),
        reverse("web:records_import_progress", args=[batch.pk]),
    ]


def test_other_schools_admin_sees_nothing(login, other_school_admin, urls, student):
    client = login(other_school_admin)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert student.name not in response.content.decode()
    listing = client.get(reverse("web:records_students")).content.decode()
    assert student.name not in listing
    export = client.get(reverse("web:records_export", args=["students", "csv"]))
    assert student.student_number not in export.content.decode("utf-8-sig")
