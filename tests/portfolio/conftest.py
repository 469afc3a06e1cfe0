"""Portfolio fixtures: a course the cast's student takes from the cast's teacher, open windows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licheng.curriculum.enums import CourseCategory
from licheng.curriculum.models import Course, CourseEnrolment
from licheng.devtools import samples
from licheng.lib.roc import Term
from licheng.schools.enums import WindowKind
from licheng.schools.models import Window


def make_course(school, teacher=None, *, code="T001", name="化學", credits=2, term=None):
    term = term or Term.current()
    course = Course.objects.create(
        school=school,
        academic_year=term.academic_year,
        semester=term.semester,
        code=code,
        name=name,
        credits=credits,
        category=CourseCategory.NATIONAL_REQUIRED,
    )
    if teacher is not None:
        course.teachers.add(teacher)
    return course


def enrol(student, course):
    CourseEnrolment.objects.create(student=student, course=course)
    return course


def open_window(school, kind: WindowKind, *, opens: int = -10, closes: int = 10):
    """Open the school's ``kind`` window for the current term, ``opens``/``closes`` days from today."""
    term = Term.current()
    today = timezone.localdate()
    Window.objects.update_or_create(
        school=school,
        kind=kind,
        academic_year=term.academic_year,
        semester=term.semester if kind.per_semester else 0,
        defaults={
            "opens_on": today + dt.timedelta(days=opens),
            "closes_on": today + dt.timedelta(days=closes),
        },
    )


@pytest.fixture
def windows_open(school_a):
    for kind in WindowKind:
        open_window(school_a, kind)


@pytest.fixture
def course(school_a, teacher, student, windows_open):
    return enrol(student, make_course(school_a, teacher))


def pdf(name="成果.pdf", **kwargs):
    return SimpleUploadedFile(name, samples.pdf_bytes(**kwargs), content_type="application/pdf")


def mp4(name="影片.mp4"):
    return SimpleUploadedFile(name, samples.mp4_bytes(), content_type="video/mp4")


@pytest.fixture(autouse=True)
def _zh_hant():
    """Messages are asserted in zh-Hant; a request in English elsewhere must not leak into this
    thread's active language (the language middleware activates without deactivating)."""
    from django.utils import translation

    translation.activate("zh-hant")
    yield
    translation.activate("zh-hant")
