"""Annual selection (年度勾選): caps (R22), earlier years (R20), window (R23), frozen (R24)."""

from __future__ import annotations

import pytest

from licheng.selection.domain.annual import (
    SelectionError,
    save_selection,
    selection_of,
    sent_in_earlier_years,
)
from licheng.selection.domain.caps import set_caps

from .conftest import make_outcome, make_performance


def _save(student, year, outcomes=(), performances=()):
    return save_selection(
        student,
        year,
        outcome_ids=[o.pk for o in outcomes],
        performance_ids=[p.pk for p in performances],
        actor=student.user,
    )


def test_r22_selection_is_saved_with_its_items(
    student, chemistry, teacher, last_year, selection_open
):
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    performance = make_performance(student, last_year, "圖書館志工")
    _save(student, last_year, [outcome], [performance])
    items = selection_of(student, last_year).items.all()
    assert {(i.outcome_id, i.performance_id) for i in items} == {
        (outcome.pk, None),
        (None, performance.pk),
    }


def test_r22_more_outcomes_than_the_years_cap_is_refused(
    student, chemistry, teacher, last_year, selection_open, central_admin
):
    """R22: at most the year's national cap of outcomes; the cap is data set centrally."""
    set_caps(last_year, max_outcomes=2, max_performances=10, actor=central_admin)
    outcomes = [
        make_outcome(student, chemistry, f"成果{n}", certified_by=teacher) for n in range(3)
    ]
    with pytest.raises(SelectionError, match="最多勾選 2 件，你勾選了 3 件"):
        _save(student, last_year, outcomes)
    assert selection_of(student, last_year) is None  # nothing saved
    _save(student, last_year, outcomes[:2])


def test_r14_uncertified_outcome_cannot_be_selected(student, chemistry, last_year, selection_open):
    """R14: only certified outcomes can be selected."""
    outcome = make_outcome(student, chemistry, "未認證的成果")
    with pytest.raises(SelectionError, match="尚未通過教師認證"):
        _save(student, last_year, [outcome])


def test_r20_earlier_years_performance_counts_against_this_years_cap(
    student, last_year, selection_open, central_admin
):
    """R20: a performance of an earlier year may be selected and counts against this year's cap."""
    set_caps(last_year, max_outcomes=6, max_performances=1, actor=central_admin)
    older = make_performance(student, last_year - 1, "去年的競賽")
    newer = make_performance(student, last_year, "今年的志工")
    with pytest.raises(SelectionError, match="含以前學年度的項目"):
        _save(student, last_year, performances=[older, newer])
    _save(student, last_year, performances=[older])


def test_r20_a_later_years_performance_cannot_be_selected(student, last_year, selection_open):
    later = make_performance(student, last_year + 1, "明年的活動")
    with pytest.raises(SelectionError, match="以後的學年度"):
        _save(student, last_year, performances=[later])


def test_r23_selection_only_inside_the_window(student, last_year, school_admin):
    """R23: outside the school's selection window nothing is saved."""
    import datetime as dt

    from django.utils import timezone

    from licheng.schools.domain.windows import set_window
    from licheng.schools.enums import WindowKind

    today = timezone.localdate()
    set_window(
        student.school,
        kind=WindowKind.SELECTION,
        academic_year=last_year,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=1),
        actor=school_admin,
    )
    with pytest.raises(SelectionError, match="目前不在期間內"):
        _save(student, last_year, performances=[make_performance(student, last_year, "志工")])


def test_another_students_item_cannot_be_selected(
    student, other_student, last_year, selection_open
):
    theirs = make_performance(other_student, last_year, "別人的表現")
    with pytest.raises(SelectionError, match="不是你上傳的"):
        _save(student, last_year, performances=[theirs])


def test_r24_selection_is_frozen_once_the_school_submitted(
    student,
    chemistry,
    teacher,
    last_year,
    selection_open,
    school_admin,
    django_capture_on_commit_callbacks,
):
    """R24: once the central repository received the year, the selection is frozen."""
    from licheng.selection.domain.submission import start_submission

    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    _save(student, last_year, [outcome])
    with django_capture_on_commit_callbacks(execute=True):
        start_submission(student.school, kind="annual", academic_year=last_year, actor=school_admin)
    assert selection_of(student, last_year).is_frozen
    with pytest.raises(SelectionError, match="勾選已鎖定"):
        _save(student, last_year)


def test_sent_in_earlier_years_marks_performances_already_submitted(student, last_year):
    from django.utils import timezone

    from licheng.selection.models import AnnualSelection, SelectedItem

    older = make_performance(student, last_year - 1, "去年的競賽")
    earlier = AnnualSelection.objects.create(
        student=student, academic_year=last_year - 1, submitted_at=timezone.now()
    )
    SelectedItem.objects.create(selection=earlier, performance=older)
    assert sent_in_earlier_years(student, last_year) == {older.pk: last_year - 1}


# --- the page -----------------------------------------------------------------------------


def test_selection_page_shows_running_counts_and_saves(
    student, chemistry, teacher, last_year, selection_open, login
):
    """R22: the page shows the running count against each cap."""
    outcome = make_outcome(student, chemistry, "滴定實驗", certified_by=teacher)
    make_outcome(student, chemistry, "待認證的成果")
    client = login(student.user)
    page = client.get("/me/selection/").content.decode()
    assert "0 / 6" in page and "0 / 10" in page and "認證通過後才能勾選" in page
    response = client.post("/me/selection/", {"outcome": [outcome.pk]})
    assert response.status_code == 302
    assert "1 / 6" in client.get("/me/selection/").content.decode()


def test_selection_page_explains_a_refusal(student, chemistry, last_year, selection_open, login):
    outcome = make_outcome(student, chemistry, "未認證的成果")
    response = login(student.user).post("/me/selection/", {"outcome": [outcome.pk]})
    assert response.status_code == 400
    assert "尚未通過教師認證" in response.content.decode()
