"""On a 375 px phone the pages fit the screen: wide tables scroll inside their wrapper, badges
and long words wrap. Checked in both languages (English words are longer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from licheng.lib.roc import Term
from licheng.schools.domain.windows import set_window
from licheng.schools.enums import WindowKind
from licheng.selection.models import AnnualSelection, SelectedItem
from tests.portfolio.conftest import open_window, pdf
from tests.portfolio.test_performances import add
from tests.selection.conftest import make_outcome, make_performance

from .test_central import _log_in
from .test_evidence_flow import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
LANGUAGES = ["zh-hant", "en"]
LANG_ATTRIBUTE = {"zh-hant": "zh-Hant-TW", "en": "en"}


def test_performances_table_scrolls_inside_its_wrapper_on_a_phone(page, student, school_a):
    open_window(school_a, WindowKind.PERFORMANCE_UPLOAD)
    # A file name with no place to break and the row's hidden "修改或刪除「…」" text make the
    # table wider than the phone.
    add(student, files=[pdf("National_Science_Fair_Final_Round_Certificate.pdf")])
    add(student, title="市立圖書館志工", category="volunteer")
    page.set_viewport_size(PHONE)
    log_in(page, school_a, student.student_number)
    page.goto("/performances/")

    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should be wider"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _as(page, user, base_url: str, language: str) -> None:
    """Log ``user`` in on a phone-sized page, reading ``language``."""
    page.set_viewport_size(PHONE)
    _log_in(page, user, base_url)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


# Elements of the main column that stick out of it (a table wider than its card shows on a phone
# even when the page itself does not scroll). What a .table-wrap scrolls is not counted.
STICKING_OUT = """() => {
  const main = document.querySelector('main');
  const edge = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  return [...main.querySelectorAll('*')]
    .filter(el => !el.closest('.table-wrap, .visually-hidden'))
    .filter(el => el.getBoundingClientRect().right > edge + 0.5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 50)}`);
}"""


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"
    assert page.evaluate(STICKING_OUT) == []


@pytest.fixture
def windows(school_a, school_admin):
    """Every window of this year open (some closing within a week), one of last year's coming."""
    for kind in WindowKind:
        open_window(school_a, kind, closes=3 if kind.per_semester else 30)
    today = timezone.localdate()
    set_window(
        school_a,
        kind=WindowKind.SUBMISSION,
        academic_year=Term.current().academic_year - 1,
        opens_on=today + dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
        actor=school_admin,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["student", "teacher", "school_admin"])
def test_home_page_fits_a_phone(page, live_server, request, windows, student, who, language):
    user = request.getfixturevalue(who)
    _as(page, getattr(user, "user", user), live_server.url, language)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == LANG_ATTRIBUTE[language]
    assert page.locator(".table-wrap table").count() >= 1  # the windows table
    _fits(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_selection_page_fits_a_phone(page, live_server, student, teacher, school_admin, language):
    last_year = Term.current().academic_year - 1
    today = timezone.localdate()
    set_window(
        student.school,
        kind=WindowKind.SELECTION,
        academic_year=last_year,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        actor=school_admin,
    )
    from licheng.curriculum.models import Course

    chemistry = Course.objects.create(
        school=student.school,
        academic_year=last_year,
        semester=1,
        code=f"{last_year}310301H11A0202",
        name="化學",
        credits=2,
        category="national_required",
    )
    make_outcome(student, chemistry, "滴定實驗報告", certified_by=teacher)
    # The long badge: "Waiting for certification; it can be selected once certified".
    make_outcome(student, chemistry, "酸鹼中和與指示劑的選擇")
    make_performance(student, last_year, "圖書館導覽志工")
    older = make_performance(student, last_year - 1, "International_Chemistry_Olympiad_Finals")
    earlier = AnnualSelection.objects.create(
        student=student, academic_year=last_year - 1, submitted_at=timezone.now()
    )
    SelectedItem.objects.create(selection=earlier, performance=older)

    _as(page, student.user, live_server.url, language)
    page.goto("/me/selection/")
    assert page.locator(".badge.warn").count() >= 1
    _fits(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_proxy_certifier_page_fits_a_phone(
    page, live_server, school_a, school_admin, teacher, language
):
    """The proxy page's table scrolls inside its wrapper: teacher names are not broken one
    character per line and the teacher picker is not cut off at the screen's edge."""
    from tests.portfolio.conftest import make_course

    for n in range(3):
        make_course(school_a, teacher, code=f"115-313301-A-000-00{n}-J", name="國語文")
    _as(page, school_admin, live_server.url, language)
    page.goto("/school/proxy-certifiers/")
    _fits(page)
    picker = page.locator("select[name=teacher]").first
    wrap = page.locator(".table-wrap")
    # The picker is reachable: inside what the wrapper scrolls, not clipped by a squeezed cell.
    cell = picker.evaluate("el => el.closest('td').getBoundingClientRect().right")
    assert picker.evaluate("el => el.getBoundingClientRect().right") <= cell + 0.5
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
