"""Every role lands on a dashboard that says what to do next, in zh-Hant by default."""

import datetime as dt

from django.urls import reverse

from licheng.schools.domain.windows import set_window
from licheng.schools.enums import WindowKind


def test_student_dashboard_shows_class_and_open_window_days_left(
    login, student, school_a, school_admin
):
    from django.utils import timezone

    today = timezone.localdate()
    set_window(
        school_a,
        kind=WindowKind.PERFORMANCE_UPLOAD,
        academic_year=student.class_enrolments.first().school_class.academic_year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        actor=school_admin,
    )
    page = login(student.user).get(reverse("web:dashboard")).content.decode()
    assert "陳小明" in page and "101" in page
    assert "多元表現上傳" in page and "剩 5 天" in page
    assert 'lang="zh-Hant-TW"' in page


def test_dashboard_in_english_after_switching(login, student):
    client = login(student.user)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'lang="en"' in page
    # The compiled English catalogue is used, not just the attribute.
    assert "Log out" in page and "Home" in page and "登出" not in page


def test_school_admin_dashboard_counts_students(login, school_admin, student):
    page = login(school_admin).get(reverse("web:dashboard")).content.decode()
    assert "學生人數" in page


def test_homeroom_teacher_sees_own_class(login, teacher, student):
    page = login(teacher).get(reverse("web:dashboard")).content.decode()
    assert "我帶的班級" in page and "101" in page


def test_central_admin_sees_every_school(login, central_admin, school_a, school_b):
    page = login(central_admin).get(reverse("web:dashboard")).content.decode()
    assert school_a.name in page and school_b.name in page


def test_menu_shows_only_built_features_for_the_role(login, student, school_admin):
    student_page = login(student.user).get(reverse("web:dashboard")).content.decode()
    assert reverse("web:school_settings") not in student_page
    admin_page = login(school_admin).get(reverse("web:dashboard")).content.decode()
    assert reverse("web:school_settings") in admin_page


def test_pages_send_security_headers(login, student):
    response = login(student.user).get(reverse("web:dashboard"))
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_zh_hant_first_even_when_browser_prefers_english(client, db):
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hant-TW"' in page and "登入學習歷程平臺" in page
