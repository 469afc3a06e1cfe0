"""The demo step loads course plans, three years of grades with make-up and retake, cadre,
attendance and counselling records, and a second run changes nothing."""

from __future__ import annotations

import importlib

import pytest
from django.db import transaction

from licheng.curriculum.models import CounsellingRecord, Course, CourseEnrolment
from licheng.devtools.demo import DemoContext
from licheng.lib import course_code
from licheng.schools.models import AttendanceRecord, CadreRecord


def load_records_demo() -> None:
    """The foundation step and this area's step only: other areas' steps have their own tests."""
    ctx = DemoContext()
    for name in ("licheng.devtools.demo.foundation", "licheng.devtools.demo.records"):
        with transaction.atomic():
            importlib.import_module(name).load(ctx)


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_records_load_and_are_idempotent():
    load_records_demo()
    counts = [
        m.objects.count()
        for m in (Course, CourseEnrolment, CadreRecord, AttendanceRecord, CounsellingRecord)
    ]
    assert all(counts), counts
    assert CourseEnrolment.objects.exclude(makeup_grade=None).exists()
    assert CourseEnrolment.objects.exclude(retake_grade=None).exists()
    assert all(
        course_code.problem(c) is None for c in Course.objects.values_list("code", flat=True)
    )
    load_records_demo()
    assert [
        m.objects.count()
        for m in (Course, CourseEnrolment, CadreRecord, AttendanceRecord, CounsellingRecord)
    ] == counts
