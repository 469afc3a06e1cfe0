"""Pages cost the same number of queries for one record as for three (no query per row)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licheng.curriculum.domain.grades import enrol
from licheng.curriculum.domain.plans import create_plan, publish_plan, submit_plan
from tests.factories import make_student


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _another_course(school, admin, central, teacher, students, name):
    plan = create_plan(
        school, actor=admin, teachers=[teacher], academic_year=113, semester=1, name=name,
        credits=2, category="school_elective", grade=1, department=None,
    )  # fmt: skip
    submit_plan(plan, actor=admin)
    course = publish_plan(plan, actor=central).course
    enrol(course, actor=admin, students=students)
    return course


def test_grade_grid_queries_do_not_grow_with_students(
    login, teacher, course, school_a, homeroom_class
):
    client = login(teacher)
    url = reverse("web:records_grades", args=[course.pk])
    one = _queries(client, url)
    enrol(
        course,
        actor=teacher,
        students=[make_student(school_a, school_class=homeroom_class) for _ in range(2)],
    )
    assert _queries(client, url) == one


def test_my_records_queries_do_not_grow_with_courses(
    login, student, course, school_a, school_admin, central_admin, teacher
):
    client = login(student.user)
    url = reverse("web:records_my")
    one = _queries(client, url)
    for name in ("選修甲", "選修乙"):
        _another_course(school_a, school_admin, central_admin, teacher, [student], name)
    assert _queries(client, url) == one
