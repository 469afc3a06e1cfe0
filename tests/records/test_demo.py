"""The demo step loads course plans, three years of grades with make-up and retake, cadre,
attendance and counselling records, and a second run changes nothing."""

from __future__ import annotations

import pytest

from licheng.curriculum.models import CounsellingRecord, Course, CourseEnrolment
from licheng.devtools.demo import load_all
from licheng.lib import course_code
from licheng.schools.models import AttendanceRecord, CadreRecord


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_records_load_and_are_idempotent():
    load_all()
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
    load_all()
    assert [
        m.objects.count()
        for m in (Course, CourseEnrolment, CadreRecord, AttendanceRecord, CounsellingRecord)
    ] == counts
