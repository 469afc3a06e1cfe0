"""Course records and grades (R5–R6): the grid, make-up and retake grades, audit, credits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from licheng.audit.models import AuditEntry
from licheng.curriculum.domain.grades import GradeError, parse_grade, set_grades
from licheng.curriculum.queries import records_by_term


def _grid_url(course):
    return reverse("web:records_grades", args=[course.pk])


def test_r6_makeup_and_retake_sit_beside_the_original(enrolment, teacher):
    """R6: a course record carries original, make-up and retake grades; none replaces another."""
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(45)}}
    )
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"makeup_grade": Decimal(58)}}
    )
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"retake_grade": Decimal(72)}}
    )
    enrolment.refresh_from_db()
    assert (enrolment.original_grade, enrolment.makeup_grade, enrolment.retake_grade) == (
        45,
        58,
        72,
    )
    assert enrolment.credits_earned == 4


def test_r6_every_grade_change_is_audited_before_and_after(enrolment, teacher):
    """R6: a grade is never silently overwritten."""
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(70)}}
    )
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(75)}}
    )
    entries = AuditEntry.objects.filter(action="curriculum.grade.update").order_by("id")
    assert [(e.before, e.after) for e in entries] == [
        ({"original_grade": None}, {"original_grade": "70.00"}),
        ({"original_grade": "70.00"}, {"original_grade": "75.00"}),
    ]


def test_r6_an_unchanged_grade_writes_nothing(enrolment, teacher):
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(70)}}
    )
    assert (
        set_grades(
            enrolment.course,
            actor=teacher,
            grades={enrolment.pk: {"original_grade": Decimal("70.00")}},
        )
        == 0
    )
    assert AuditEntry.objects.filter(action="curriculum.grade.update").count() == 1


@pytest.mark.parametrize("text", ["101", "-1", "abc", "NaN", "Infinity", "60.001"])
def test_r5_grade_outside_0_100_is_refused(text):
    with pytest.raises(GradeError):
        parse_grade(text)


def test_r5_grid_saves_and_shows_grades(login, teacher, enrolment):
    client = login(teacher)
    key = f"g-{enrolment.pk}"
    response = client.post(
        _grid_url(enrolment.course),
        {f"{key}-original_grade": "88", f"{key}-makeup_grade": "", f"{key}-retake_grade": ""},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.original_grade == 88
    assert 'value="88.00"' in client.get(_grid_url(enrolment.course)).content.decode()


def test_r5_grid_with_a_bad_cell_saves_nothing_and_says_which(login, teacher, enrolment):
    key = f"g-{enrolment.pk}"
    response = login(teacher).post(_grid_url(enrolment.course), {f"{key}-original_grade": "120"})
    assert response.status_code == 400
    assert "超出 0–100" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.original_grade is None


def test_r5_teacher_cannot_grade_another_teachers_course(login, other_teacher, enrolment):
    key = f"g-{enrolment.pk}"
    response = login(other_teacher).post(
        _grid_url(enrolment.course), {f"{key}-original_grade": "10"}
    )
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.original_grade is None


def test_r5_teacher_of_same_school_but_not_the_course_cannot_grade(login, school_a, enrolment):
    from licheng.accounts.enums import Role
    from tests.factories import staff

    colleague = staff(Role.TEACHER, school_a)
    assert login(colleague).get(_grid_url(enrolment.course)).status_code == 404


def test_r5_student_sees_own_records_by_semester_with_credits(login, student, enrolment, teacher):
    """R5: each course with code, name, credits, semester, type and grade."""
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(59)}}
    )
    terms = records_by_term(student)
    assert [(t["credits_taken"], t["credits_earned"]) for t in terms] == [(4, 0)]
    body = login(student.user).get(reverse("web:records_my")).content.decode()
    assert enrolment.course.code in body and "59.00" in body and "部定必修" in body


def test_r5_parent_cannot_change_grades(login, parent, enrolment):
    key = f"g-{enrolment.pk}"
    response = login(parent).post(_grid_url(enrolment.course), {f"{key}-original_grade": "10"})
    assert response.status_code == 404


def test_admin_enrols_a_whole_class(login, school_admin, course, homeroom_class):
    from tests.factories import make_student

    make_student(course.school, school_class=homeroom_class)
    response = login(school_admin).post(
        reverse("web:records_enrol", args=[course.pk]), {"school_class": homeroom_class.pk}
    )
    assert response.status_code == 302
    assert course.enrolments.count() == 2


def test_teacher_cannot_enrol_students(login, teacher, course, homeroom_class):
    response = login(teacher).post(
        reverse("web:records_enrol", args=[course.pk]), {"school_class": homeroom_class.pk}
    )
    assert response.status_code == 403
    assert course.enrolments.count() == 1


def test_r6_grades_of_a_student_who_left_cannot_change(enrolment, teacher, student):
    from licheng.schools.enums import StudentStatus

    Student = type(student)
    Student.objects.filter(pk=student.pk).update(status=StudentStatus.TRANSFERRED_OUT)
    with pytest.raises(GradeError, match="不是在學"):
        set_grades(
            enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(80)}}
        )
    # Posting the grid unchanged is fine: nothing is written.
    assert (
        set_grades(enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": None}})
        == 0
    )
