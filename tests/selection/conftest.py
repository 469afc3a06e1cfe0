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
