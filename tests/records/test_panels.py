"""Dashboard panels of the records area: each person sees what they have to do."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from licheng.curriculum.domain.grades import set_grades


def _dashboard(login, user) -> str:
    return login(user).get(reverse("web:dashboard")).content.decode()


def test_student_panel_shows_credits_earned(login, student, enrolment, teacher):
    set_grades(
        enrolment.course, actor=teacher, grades={enrolment.pk: {"original_grade": Decimal(80)}}
    )
    assert "已修 1 門課程，累計取得 4 學分" in _dashboard(login, student.user)


def test_teacher_panel_counts_missing_grades(login, teacher, enrolment):
    page = _dashboard(login, teacher)
    assert "尚有 1 位學生未登錄原始成績" in page
    # A teacher often teaches one subject to several groups: the course code tells them apart.
    course = enrolment.course
    assert f"{course.name}（{course.code}）</a>" in page


def test_admin_and_central_panels(login, school_admin, central_admin, course):
    assert "待處理的基本資料更正申請：0 件" in _dashboard(login, school_admin)
    assert "待公告的課程計畫：0 件" in _dashboard(login, central_admin)
