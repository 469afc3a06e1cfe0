"""R28: channel caps as data per year, departments' lower caps, and the pick under them (R27)."""

from __future__ import annotations

import pytest

from licheng.admissions.domain import AdmissionError, applications, setup
from licheng.admissions.domain.caps import DEFAULT_CAPS, cap_errors, caps_for
from licheng.admissions.enums import ChannelKind, ItemKind

from .fixtures import channel, department, portfolio

pytestmark = pytest.mark.django_db


def test_new_year_channels_start_from_r28_defaults():
    """R28: university ≤3 outcomes/≤10 performances; 甄選/技優 ≤6 專題 (≥1) + ≤3 others; 四技申請 ≤6."""
    uni = channel(ChannelKind.UNIVERSITY_APPLICATION)
    tech = channel(ChannelKind.TECH_SELECTION)
    skills = channel(ChannelKind.TECH_SKILLS)
    four = channel(ChannelKind.TECH_APPLICATION)

    assert (uni.max_outcomes, uni.max_performances, uni.max_project_outcomes) == (3, 10, None)
    for ch in (tech, skills):
        assert (ch.max_project_outcomes, ch.min_project_outcomes, ch.max_other_outcomes) == (
            6,
            1,
            3,
        )
        assert ch.max_performances == 10
    assert (four.max_outcomes, four.max_performances) == (6, 10)


def test_caps_are_data_per_year_not_constants():
    """R28: 113 lowered the 專題實作及實習 cap from 6 to 3; one year changes, the other does not."""
    old = channel(ChannelKind.TECH_SELECTION, year=112)
    new = channel(ChannelKind.TECH_SELECTION, year=113)

    setup.update_channel(new, actor=None, max_project_outcomes=3)

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.max_project_outcomes, new.max_project_outcomes) == (6, 3)
    assert DEFAULT_CAPS[ChannelKind.TECH_SELECTION].max_project_outcomes == 6


def test_department_may_only_lower_caps():
    """R28: a department sets lower caps, never higher than its channel's."""
    with pytest.raises(AdmissionError) as exc:
        department(code="100", max_outcomes=4)
    assert "只能調降" in str(exc.value)

    lower = department(code="101", max_outcomes=2, max_performances=5)
    caps = caps_for(lower)
    assert (caps.max_outcomes, caps.max_performances) == (2, 5)


def test_pick_over_the_department_cap_is_refused_and_nothing_changes(student):
    """R28: picking more than the department's cap is refused with a clear message."""
    dept = department(max_outcomes=2)
    reg = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(reg, dept, actor=None)
    applications.pick_items(app, ["o0"], actor=None, available=portfolio())

    with pytest.raises(AdmissionError) as exc:
        applications.pick_items(app, ["o0", "o1", "o2"], actor=None, available=portfolio())

    assert "課程學習成果合計最多 2 件，目前選了 3 件" in exc.value.messages
    assert list(app.items.values_list("source_ref", flat=True)) == ["o0"]


def test_tech_channel_checks_project_and_other_outcomes_separately():
    """R28: ≤ 6 專題實作及實習 outcomes plus ≤ 3 others, each its own message."""
    caps = caps_for(department(ChannelKind.TECH_SELECTION, code="200"))
    kinds = [ItemKind.PROJECT_OUTCOME] * 7 + [ItemKind.OUTCOME] * 4

    errors = cap_errors(caps, kinds)

    assert "專題實作及實習成果最多 6 件，目前選了 7 件" in errors
    assert "其他課程學習成果最多 3 件，目前選了 4 件" in errors


def test_tech_channel_needs_at_least_one_project_outcome(student):
    """R28: at least 1 專題實作及實習 outcome in 甄選入學, checked when submitting."""
    dept = department(ChannelKind.TECH_SELECTION, code="201")
    reg = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(reg, dept, actor=None)
    applications.pick_items(app, ["o0"], actor=None, available=portfolio())

    with pytest.raises(AdmissionError) as exc:
        applications.submit(app, actor=None)
    assert "此管道至少須有 1 件專題實作及實習成果" in exc.value.messages


def test_university_channel_refuses_project_outcomes():
    caps = caps_for(department(code="300"))
    assert cap_errors(caps, [ItemKind.PROJECT_OUTCOME]) == [
        "此管道不收「專題實作及實習成果」，請改選一般課程學習成果"
    ]


def test_different_departments_get_different_items(student):
    """R27: each department applied to gets its own pick."""
    first = department(code="401")
    second = department(code="402", name="電機工程學系")
    reg = applications.register(student, first.channel, consent=True, actor=None)
    a = applications.start_application(reg, first, actor=None)
    b = applications.start_application(reg, second, actor=None)

    applications.pick_items(a, ["o0", "m0"], actor=None, available=portfolio())
    applications.pick_items(b, ["o1", "o2", "m2"], actor=None, available=portfolio())

    assert sorted(a.items.values_list("source_ref", flat=True)) == ["m0", "o0"]
    assert sorted(b.items.values_list("source_ref", flat=True)) == ["m2", "o1", "o2"]


def test_items_not_in_the_central_record_are_refused(student):
    dept = department(code="403")
    reg = applications.register(student, dept.channel, consent=True, actor=None)
    app = applications.start_application(reg, dept, actor=None)
    with pytest.raises(AdmissionError, match="不在您的中央資料庫紀錄中"):
        applications.pick_items(app, ["someone-elses"], actor=None, available=portfolio())
