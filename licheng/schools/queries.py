"""Reading school data for a given person."""

from __future__ import annotations

from licheng.lib.roc import Term

from .models import ClassEnrolment, SchoolClass, Student


def class_enrolment(student: Student, academic_year: int) -> ClassEnrolment | None:
    return (
        ClassEnrolment.objects.filter(student=student, school_class__academic_year=academic_year)
        .select_related("school_class")
        .first()
    )


def current_class(student: Student, term: Term | None = None) -> SchoolClass | None:
    term = term or Term.current()
    enrolment = class_enrolment(student, term.academic_year)
    return enrolment.school_class if enrolment else None


def grade_of(student: Student, academic_year: int) -> int | None:
    enrolment = class_enrolment(student, academic_year)
    return enrolment.school_class.grade if enrolment else None
