"""R12/R23 windows: defaults from the calendar, school overrides, audited."""

import datetime as dt

import pytest
from django.urls import reverse

from licheng.audit.models import AuditEntry
from licheng.schools.domain.windows import WindowError, relevant_windows, set_window, window_for
from licheng.schools.enums import WindowKind
from licheng.schools.models import Window


def test_r12_default_outcome_upload_closes_mid_february_and_mid_july(school_a):
    first = window_for(school_a, WindowKind.OUTCOME_UPLOAD, 113, 1)
    second = window_for(school_a, WindowKind.OUTCOME_UPLOAD, 113, 2)
    assert first.closes_on == dt.date(2025, 2, 15)
    assert second.closes_on == dt.date(2025, 7, 15)
    assert first.pk is None  # defaults are not stored until a school changes them


def test_r23_default_selection_ends_september_and_submission_in_october(school_a):
    selection = window_for(school_a, WindowKind.SELECTION, 113)
    submission = window_for(school_a, WindowKind.SUBMISSION, 113)
    assert selection.closes_on == dt.date(2025, 9, 30)
    assert (submission.opens_on, submission.closes_on) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 10, 31),
    )


def test_r12_school_sets_its_own_window_and_it_is_audited(school_a, school_admin):
    set_window(
        school_a,
        kind=WindowKind.OUTCOME_UPLOAD,
        academic_year=113,
        semester=1,
        opens_on=dt.date(2024, 9, 15),
        closes_on=dt.date(2025, 1, 20),
        actor=school_admin,
    )
    window = window_for(school_a, WindowKind.OUTCOME_UPLOAD, 113, 1)
    assert window.closes_on == dt.date(2025, 1, 20)
    assert window.is_open(dt.date(2025, 1, 20))
    assert not window.is_open(dt.date(2025, 1, 21))
    entry = AuditEntry.objects.get(action="schools.window.set")
    assert entry.actor == school_admin and entry.school == school_a
    assert entry.after == {"opens_on": "2024-09-15", "closes_on": "2025-01-20"}


def test_window_closing_before_opening_is_refused_and_nothing_stored(school_a, school_admin):
    with pytest.raises(WindowError, match="截止日期不可早於開始日期"):
        set_window(
            school_a,
            kind=WindowKind.SELECTION,
            academic_year=113,
            opens_on=dt.date(2025, 9, 1),
            closes_on=dt.date(2025, 8, 1),
            actor=school_admin,
        )
    assert not Window.objects.exists()


def test_relevant_windows_lists_open_ones_with_days_left(school_a):
    day = dt.date(2025, 9, 10)  # last year's selection is open, this year's uploads soon
    windows = relevant_windows(school_a, day)
    kinds = {(w.kind, w.academic_year) for w in windows}
    assert (WindowKind.SELECTION, 113) in kinds
    selection = next(w for w in windows if w.kind == WindowKind.SELECTION)
    assert selection.days_left(day) == 20


def test_windows_page_saves_dates(login, school_admin, school_a):
    client = login(school_admin)
    response = client.post(
        reverse("web:school_windows") + "?year=113",
        {"key": "selection-0", "opens_on": "2025-08-15", "closes_on": "2025-09-20"},
    )
    assert response.status_code == 302
    assert window_for(school_a, WindowKind.SELECTION, 113).closes_on == dt.date(2025, 9, 20)


def test_windows_page_shows_error_next_to_the_window(login, school_admin, school_a):
    client = login(school_admin)
    response = client.post(
        reverse("web:school_windows") + "?year=113",
        {"key": "selection-0", "opens_on": "2025-09-20", "closes_on": "2025-08-15"},
    )
    assert response.status_code == 400
    assert "截止日期不可早於開始日期" in response.content.decode()
    assert not Window.objects.exists()


def test_windows_page_refuses_another_schools_admin(login, other_school_admin, school_a):
    response = login(other_school_admin).get(
        reverse("web:school_windows") + f"?school={school_a.code}"
    )
    assert response.status_code == 404
