"""Records fixtures: a published course of school A taught by ``teacher``, with ``student`` in it."""

from __future__ import annotations

import pytest

from licheng.curriculum.domain.grades import enrol
from licheng.curriculum.domain.plans import create_plan, publish_plan, submit_plan
from licheng.curriculum.enums import CourseCategory
from licheng.lib.roc import Term


@pytest.fixture
def term():
    return Term.current()


@pytest.fixture
def course(school_a, school_admin, central_admin, teacher, student, term):
    plan = create_plan(
        school_a,
        actor=school_admin,
        teachers=[teacher],
        syllabus="古文與現代文選讀",
        academic_year=term.academic_year,
        semester=term.semester,
        name="國語文",
        credits=4,
        category=CourseCategory.NATIONAL_REQUIRED,
        grade=1,
        department=None,
    )
    submit_plan(plan, actor=school_admin)
    course = publish_plan(plan, actor=central_admin).course
    enrol(course, actor=school_admin, students=[student])
    return course


@pytest.fixture
def enrolment(course, student):
    return course.enrolments.get(student=student)
