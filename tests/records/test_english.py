"""The records pages follow the language switch: zh-Hant first, English when chosen."""

from __future__ import annotations

from django.urls import reverse


def test_records_pages_in_english_after_switching(client, login, student, course):
    assert "課程資訊查詢" in client.get(reverse("web:records_course_lookup")).content.decode()
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    assert "Course lookup" in client.get(reverse("web:records_course_lookup")).content.decode()
    own = login(student.user)
    own.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = own.get(reverse("web:records_my")).content.decode()
    assert "My course records" in page and "Credits earned" in page


def test_course_categories_and_statuses_read_in_english(login, student, enrolment):
    """English pages name course categories (部定必修) in English; the school's page names the
    student's status (在學) in English."""
    own = login(student.user)
    own.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    page = own.get(reverse("web:records_my")).content.decode()
    assert "National required" in page and "部定必修" not in page
