"""Grade entry (成績登錄) for course teachers, and a student's own course records (修課紀錄)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from licheng.accounts.enums import Role
from licheng.curriculum.domain.grades import (
    GRADE_FIELDS,
    GradeError,
    enrol,
    parse_grade,
    set_grades,
)
from licheng.curriculum.queries import (
    counselling_visible_to,
    courses_taught_by,
    enrolments_of,
    get_course_for_grading,
    prior_records_by_term,
    records_by_term,
    school_term_records,
    student_of,
)
from licheng.schools.models import SchoolClass, Student


@login_required
def course_list(request):
    courses = (
        courses_taught_by(request.user)
        .select_related("school")
        .order_by("-academic_year", "-semester", "code")
    )
    if not courses.exists() and not request.user.has_any_role([Role.TEACHER, Role.SCHOOL_ADMIN]):
        raise Http404
    return render(request, "web/records/courses.html", {"courses": courses})


def _read_grid(request, enrolments):
    """The posted grid as {enrolment id: {field: grade}}, and the errors per cell."""
    grades, errors = {}, {}
    for e in enrolments:
        row = {}
        for field in GRADE_FIELDS:
            key = f"g-{e.pk}-{field}"
            if key not in request.POST:
                continue
            try:
                row[field] = parse_grade(request.POST[key])
            except GradeError as exc:
                errors[key] = f"{e.student.name}：{exc}"
        if row:
            grades[e.pk] = row
    return grades, errors


def _grid_rows(enrolments, errors: dict[str, str], posted) -> list[dict]:
    """One row per student; after a refused save the cells show what was typed."""
    rows = []
    for e in enrolments:
        cells = []
        for field in GRADE_FIELDS:
            key = f"g-{e.pk}-{field}"
            value = posted.get(key) if errors else getattr(e, field)
            cells.append(
                {
                    "key": key,
                    "field": field,
                    "value": "" if value is None else value,
                    "error": errors.get(key),
                }
            )
        rows.append({"enrolment": e, "cells": cells})
    return rows


@login_required
def grade_grid(request, pk: int):
    course = get_course_for_grading(request.user, pk)
    enrolments = list(enrolments_of(course))
    errors: dict[str, str] = {}
    if request.method == "POST":
        grades, errors = _read_grid(request, enrolments)
        if not errors:
            try:
                n = set_grades(course, actor=request.user, grades=grades)
            except GradeError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已儲存，%(n)d 位學生的成績有變更。") % {"n": n})
                return redirect("web:records_grades", pk=course.pk)
    is_admin = request.user.has_role(Role.SCHOOL_ADMIN, course.school_id)
    classes = (
        SchoolClass.objects.filter(school=course.school, academic_year=course.academic_year)
        if is_admin
        else []
    )
    return render(
        request,
        "web/records/grades.html",
        {
            "course": course,
            "rows": _grid_rows(enrolments, errors, request.POST),
            "errors": list(errors.values()),
            "classes": classes,
        },
        status=400 if errors else 200,
    )


@require_POST
@login_required
def enrol_class(request, pk: int):
    """The school administrator enrols a whole class in a course (選課)."""
    course = get_course_for_grading(request.user, pk)
    if not request.user.has_role(Role.SCHOOL_ADMIN, course.school_id):
        raise PermissionDenied
    cls = SchoolClass.objects.filter(
        school=course.school, pk=request.POST.get("school_class")
    ).first()
    if cls is None:
        messages.error(request, _("請選擇班級"))
    else:
        students = Student.objects.filter(class_enrolments__school_class=cls)
        n = enrol(course, actor=request.user, students=students)
        messages.success(request, _("已加入 %(n)d 位學生。") % {"n": n})
    return redirect("web:records_grades", pk=course.pk)


@login_required
def my_records(request):
    """A student's own course records by semester with credits earned (R5), and R2–R3, R7."""
    student = student_of(request.user)
    if student is None:
        raise Http404
    terms = records_by_term(student)
    return render(
        request,
        "web/records/my_records.html",
        {
            "student": student,
            "terms": terms,
            "total_earned": sum(t["credits_earned"] for t in terms),
            "counselling": counselling_visible_to(request.user).filter(student=student),
            "prior_terms": prior_records_by_term(student),
            **school_term_records(student),
        },
    )
