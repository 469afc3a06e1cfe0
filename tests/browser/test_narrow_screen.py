"""On a 375 px phone the pages fit the screen: wide tables scroll inside their wrapper."""

from __future__ import annotations

import pytest

from licheng.schools.enums import WindowKind
from tests.portfolio.conftest import open_window, pdf
from tests.portfolio.test_performances import add

from .test_evidence_flow import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


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
