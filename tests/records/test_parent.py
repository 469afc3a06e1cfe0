"""A parent reads their child's course records but cannot change them (R33, R5–R6)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from licheng.accounts.enums import BindingStatus
from licheng.curriculum.domain.grades import set_grades
from tests.parents.helpers import make_binding


def test_r5_parent_reads_the_childs_records_read_only(login, parent, student, enrolment, teacher):
    set_grades(
        enrolment.course,
        actor=teacher,
        grades={enrolment.pk: {"original_grade": Decimal(52), "makeup_grade": Decimal(64)}},
    )
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    client = login(parent)
    page = client.get(reverse("web:parent_child", args=[student.pk])).content.decode()
    assert "修課紀錄與在校表現" in page and "國語文" in page and "64.00" in page
    key = f"g-{enrolment.pk}-original_grade"
    assert (
        client.post(
            reverse("web:records_grades", args=[enrolment.course.pk]), {key: "99"}
        ).status_code
        == 404
    )
    enrolment.refresh_from_db()
    assert enrolment.original_grade == 52


def test_r7_parent_does_not_see_counselling_records(
    login, parent, student, school_a, school_admin, homeroom_class
):
    import datetime as dt

    from licheng.accounts.enums import Role
    from licheng.curriculum.domain import counselling
    from tests.factories import staff

    counsellor = staff(Role.COUNSELOR, school_a)
    counselling.assign_counsellor(homeroom_class, actor=school_admin, counsellor=counsellor)
    counselling.write_record(
        student,
        counsellor=counsellor,
        held_on=dt.date.today(),
        description="只給學生與老師看的內容",
    )
    make_binding(student, parent=parent, status=BindingStatus.APPROVED)
    page = login(parent).get(reverse("web:parent_child", args=[student.pk])).content.decode()
    assert "只給學生與老師看的內容" not in page


def test_unbound_parent_sees_nothing(login, parent, student, enrolment):
    assert login(parent).get(reverse("web:parent_child", args=[student.pk])).status_code == 404
