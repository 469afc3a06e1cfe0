"""Proxy certifiers (代理人, R37) named by the school, and the handled list of the certification queue."""

from __future__ import annotations

import pytest

from licheng.accounts.enums import Role
from licheng.audit.models import AuditEntry
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.outcomes import create_outcome, name_proxy_certifier, return_outcome
from licheng.portfolio.enums import ReturnReason
from licheng.portfolio.models import ProxyCertifier
from tests.factories import staff

from .conftest import pdf

PAGE = "/school/proxy-certifiers/"


def test_r37_proxy_cannot_be_the_course_own_teacher(course, teacher, school_admin):
    """R37: the proxy certifies in place of the course's teacher, never the teacher themself."""
    with pytest.raises(PortfolioError, match="王老師 是「化學」的任課教師，不能擔任自己的代理人"):
        name_proxy_certifier(course, teacher=teacher, actor=school_admin)
    assert not ProxyCertifier.objects.exists()
    assert not AuditEntry.objects.filter(action="portfolio.proxy.name").exists()


def test_r37_proxy_page_refuses_the_course_own_teacher_on_the_form(
    course, teacher, school_admin, login
):
    response = login(school_admin).post(PAGE, {"course": course.pk, "teacher": teacher.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="t-{course.pk}-errors"' in page
    assert "王老師 是「化學」的任課教師，不能擔任自己的代理人" in page
    # said at the top too, where the reloaded page opens, with a way to the row
    top = page.split("<h1")[1].split("<section")[0]
    assert 'role="alert"' in top and f'href="#t-{course.pk}"' in top and "不能擔任" in top
    assert not ProxyCertifier.objects.exists()


def test_r37_proxy_page_refuses_a_teacher_of_another_school(
    course, other_teacher, school_admin, login
):
    """A tampered teacher id gets a clear refusal, not a bare 404, and names no one of school B."""
    response = login(school_admin).post(PAGE, {"course": course.pk, "teacher": other_teacher.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert "代理人須為本校教師" in page and "李老師" not in page
    assert not ProxyCertifier.objects.exists()


def test_proxy_page_selector_starts_empty(course, school_a, school_admin, login):
    from licheng.accounts.enums import Role
    from tests.conftest import staff

    staff(Role.TEACHER, school_a, full_name="林代理")  # someone other than the course's teacher
    page = login(school_admin).get(PAGE).content.decode()
    select = page[page.index(f'<select id="t-{course.pk}"') :]
    assert select.startswith(f'<select id="t-{course.pk}" name="teacher" required>')
    assert '<option value="" selected>請選擇教師</option><option value="' in select


@pytest.mark.parametrize("chosen", ["", "abc", "999999", "99999999999999999999999"])
def test_proxy_page_requires_a_teacher(course, school_admin, login, chosen):
    response = login(school_admin).post(PAGE, {"course": course.pk, "teacher": chosen})
    assert response.status_code == 400
    assert '<ul class="errors" id="t-' in response.content.decode()
    assert "<li>請選擇教師</li>" in response.content.decode()
    assert not ProxyCertifier.objects.exists()


def test_proxy_page_names_another_teacher_of_the_school(course, school_a, school_admin, login):
    proxy = staff(Role.TEACHER, school_a, full_name="代理老師")
    response = login(school_admin).post(PAGE, {"course": course.pk, "teacher": proxy.pk})
    assert response.status_code == 302
    assert ProxyCertifier.objects.get().teacher == proxy


def test_certification_handled_list_shows_the_return_note_escaped(student, course, teacher, login):
    """R13: an "other" return is explained; the teacher sees the explanation, not only the reason."""
    outcome = create_outcome(
        student,
        course=course,
        actor=student.user,
        title="滴定實驗報告",
        description="我負責數據分析，學到誤差來源，下次會重做對照組。",
        document=pdf(),
    )
    return_outcome(outcome, teacher=teacher, reason=ReturnReason.OTHER, note="<b>別門課</b>的檔案")
    page = login(teacher).get(f"/certification/{course.pk}/").content.decode()
    handled = page[page.index('id="done-h"') :]
    assert "其他（須說明）：&lt;b&gt;別門課&lt;/b&gt;的檔案" in handled
    assert "<b>別門課</b>" not in page


def test_r37_the_proxy_choices_leave_out_the_courses_own_teachers(
    course, teacher, school_a, school_admin, login
):
    """R37: a course's own teacher is not offered as its proxy (the domain refuses it anyway)."""
    import re

    from licheng.accounts.enums import Role
    from tests.conftest import staff

    other = staff(Role.TEACHER, school_a, full_name="林代理")
    page = login(school_admin).get(PAGE).content.decode()
    select = re.search(rf'<select id="t-{course.pk}".*?</select>', page, re.S).group(0)
    assert f'value="{other.pk}"' in select and f'value="{teacher.pk}"' not in select
