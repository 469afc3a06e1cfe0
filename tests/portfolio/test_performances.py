"""Diverse performances: R15–R20."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from licheng.portfolio.categories import FIELDS
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.performances import create_performance, own_count
from licheng.portfolio.enums import PerformanceCategory, PerformanceSource
from licheng.schools.domain.policy import update_policy
from licheng.schools.enums import WindowKind

from .conftest import mp4, open_window, pdf

DETAILS = {
    "cadre": {"level": "班級", "position": "班長", "unit": "101"},
    "competition": {"organizer": "教育部", "level": "全國", "award": "佳作", "team": "團體"},
    "certificate": {"issuer": "勞動部", "number": "A-123"},
    "volunteer": {"organization": "市立圖書館", "hours": "12"},
    "self_directed": {"plan": "自學 Python", "result": "完成小專題"},
    "group_activity": {"group": "天文社"},
    "work": {"work_type": "海報", "team": "個人"},
    "workplace": {"employer": "某工廠", "hours": "40"},
    "advanced_course": {"university": "國立臺灣大學", "credits": "2"},
    "other": {},
}


def add(student, category="competition", **kwargs):
    values = {
        "title": "全國科展",
        "activity_date": timezone.localdate() - dt.timedelta(days=5),
        "details": DETAILS[category],
        "description": "我負責實驗設計",
    }
    values.update(kwargs)
    return create_performance(student, category=category, actor=student.user, **values)


@pytest.mark.parametrize("category", PerformanceCategory.values)
def test_every_category_keeps_its_own_fields(student, windows_open, category):
    """R15: each category has its own fields."""
    performance = add(student, category)
    assert set(performance.details) == {
        f.name for f in FIELDS[category] if f.name in DETAILS[category]
    }


def test_category_required_field_is_named(student, windows_open):
    """R15: a missing field of the category is named in the message."""
    with pytest.raises(PortfolioError, match="請填寫「服務時數」"):
        add(student, "volunteer", details={"organization": "圖書館"})
    with pytest.raises(PortfolioError, match="「服務時數」須為數字"):
        add(student, "volunteer", details={"organization": "圖書館", "hours": "很多"})


def test_proof_files_and_link(student, windows_open):
    """R16: proof pdf/jpg/png and media, an external link."""
    performance = add(student, files=[pdf(), mp4()], link="https://example.tw/award")
    assert sorted(f.kind for f in performance.files.all()) == ["mp4", "pdf"]


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://x.tw/a", "file:///etc/passwd", "example.tw"]
)
def test_link_must_be_http(student, windows_open, link):
    """R16: links http(s) only."""
    with pytest.raises(PortfolioError, match="http:// 或 https://"):
        add(student, link=link)


def test_description_limit(student, windows_open):
    """R16: description ≤ 100 characters."""
    with pytest.raises(PortfolioError, match="簡述超過 100 字上限"):
        add(student, description="志" * 101)


def test_activity_before_high_school_is_refused(student, windows_open):
    """R17: on or after 1 July of the year of enrolment."""
    earliest = student.earliest_activity_date
    assert add(student, activity_date=earliest).activity_date == earliest
    with pytest.raises(PortfolioError, match="入學年度 7 月 1 日"):
        add(student, activity_date=earliest - dt.timedelta(days=1))


def test_activity_in_the_future_is_refused(student, windows_open):
    with pytest.raises(PortfolioError, match="不可晚於今天"):
        add(student, activity_date=timezone.localdate() + dt.timedelta(days=1))


def test_earlier_year_activity_is_accepted(school_a, windows_open):
    """R20: in grade 11 a student may upload a performance from grade 10."""
    from tests.factories import make_student

    senior = make_student(school_a, enrolment_date=dt.date(timezone.localdate().year - 2, 8, 20))
    day = dt.date(timezone.localdate().year - 2, 10, 1)
    assert add(senior, activity_date=day).activity_date == day


def test_default_per_year_quota_is_unlimited(student, windows_open):
    """R18: default unlimited."""
    for _ in range(12):
        add(student)
    assert own_count(student, add(student).academic_year) == 13


def test_per_year_quota_set_by_school(student, windows_open, school_admin):
    """R18: the school sets a per-year limit."""
    update_policy(student.school, actor=school_admin, performances_per_year=2)
    add(student)
    add(student)
    with pytest.raises(PortfolioError, match="已達學校規定的上限"):
        add(student)


def test_school_registered_items_do_not_count(student, windows_open, school_admin):
    """R19: items registered by the school do not count toward the student's quota."""
    update_policy(student.school, actor=school_admin, performances_per_year=1)
    create_performance(
        student,
        category="cadre",
        title="班長",
        activity_date=timezone.localdate(),
        details=DETAILS["cadre"],
        source=PerformanceSource.SCHOOL,
        actor=school_admin,
    )
    assert add(student).counts_toward_quota


def test_upload_outside_window_is_refused(student, school_a):
    """R12 (performance window): the page says when it opens."""
    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD, opens=5, closes=30)
    with pytest.raises(PortfolioError, match="多元表現上傳將於"):
        add(student)
