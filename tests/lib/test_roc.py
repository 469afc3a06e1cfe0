import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licheng.lib.roc import Term, academic_year_of, parse_roc_date, roc_date, semester_of


def test_academic_year_113_runs_august_to_july():
    assert academic_year_of(dt.date(2024, 8, 1)) == 113
    assert academic_year_of(dt.date(2025, 7, 31)) == 113
    assert academic_year_of(dt.date(2024, 7, 31)) == 112


def test_semester_1_is_august_to_january():
    assert semester_of(dt.date(2024, 8, 1)) == 1
    assert semester_of(dt.date(2025, 1, 31)) == 1
    assert semester_of(dt.date(2025, 2, 1)) == 2
    assert semester_of(dt.date(2025, 7, 31)) == 2


def test_term_label_and_bounds():
    term = Term(113, 1)
    assert term.label == "113學年度第1學期"
    assert term.start == dt.date(2024, 8, 1)
    assert term.end == dt.date(2025, 1, 31)
    assert Term(113, 2).start == dt.date(2025, 2, 1)
    assert Term(113, 2).end == dt.date(2025, 7, 31)


def test_term_next_and_previous_wrap_years():
    assert Term(113, 2).next() == Term(114, 1)
    assert Term(114, 1).previous() == Term(113, 2)
    assert Term.from_code("113-2") == Term(113, 2)


def test_term_refuses_semester_3():
    with pytest.raises(ValueError):
        Term(113, 3)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_term_of_any_day_contains_that_day(day):
    term = Term.of(day)
    assert term.start <= day <= term.end


def test_roc_dates_round_trip():
    assert roc_date(dt.date(2024, 9, 1)) == "113/09/01"
    assert parse_roc_date("113/09/01") == dt.date(2024, 9, 1)
    assert parse_roc_date("1130901") == dt.date(2024, 9, 1)
    assert parse_roc_date("2024-09-01") == dt.date(2024, 9, 1)
    with pytest.raises(ValueError):
        parse_roc_date("yesterday")


def test_term_label_in_english():
    """Pages in English name a semester in English; zh-Hant stays 「113學年度第1學期」."""
    from django.utils import translation

    with translation.override("en"):
        assert Term(113, 2).label == "Academic year 113, semester 2"
    with translation.override("zh-hant"):
        assert Term(113, 2).label == "113學年度第2學期"


def test_period_label_names_a_semester_or_a_whole_year():
    from django.utils import translation

    from licheng.lib.roc import period_label

    with translation.override("zh-hant"):
        assert period_label(113, 1) == "113學年度第1學期"
        assert period_label(113, 0) == period_label(113, None) == "113學年度"
