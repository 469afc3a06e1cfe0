"""R30: stage-two weights validated clause by clause, each broken clause its own message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from licheng.admissions.domain import AdmissionError, setup
from licheng.admissions.domain.weights import ExamSubject, ScoreWeights, weight_errors
from licheng.admissions.enums import ChannelKind, SubjectKind, WeightPart

from .fixtures import department

TECH = ChannelKind.TECH_SELECTION
SUBJECTS = (
    ExamSubject("國文", SubjectKind.COMMON, Decimal(1)),
    ExamSubject("英文", SubjectKind.COMMON, Decimal(1)),
    ExamSubject("專業一", SubjectKind.PROFESSIONAL, Decimal(2)),
    ExamSubject("專業二", SubjectKind.PROFESSIONAL, Decimal("1.5")),
)


def weights(exam=30, project=25, portfolio=25, interview=20, subjects=SUBJECTS) -> ScoreWeights:
    parts = {
        WeightPart.UNIFIED_EXAM: Decimal(exam),
        WeightPart.PROJECT_REVIEW: Decimal(project),
        WeightPart.PORTFOLIO_REVIEW: Decimal(portfolio),
        WeightPart.INTERVIEW: Decimal(interview),
    }
    return ScoreWeights(parts=parts, subjects=tuple(subjects))


def test_valid_weights_have_no_errors():
    assert weight_errors(weights(), TECH) == []


def test_r30_unified_exam_share_at_most_40_percent():
    """R30: unified-exam (統測) share ≤ 40%."""
    errors = weight_errors(weights(exam=45, interview=5), TECH)
    assert errors == ["統一入學測驗成績比例不可超過 40%（目前為 45%）"]


def test_r30_unified_exam_share_not_zero():
    """R30: unified-exam share is not 0."""
    errors = weight_errors(weights(exam=0, interview=50), TECH)
    assert "統一入學測驗成績比例不可為 0%" in errors


def test_r30_portfolio_review_at_least_40_percent():
    """R30: portfolio review (專題實作及實習 + 學習歷程資料審查) ≥ 40%."""
    errors = weight_errors(weights(project=15, portfolio=20, interview=35), TECH)
    assert errors == [
        "書面資料審查（專題實作及實習成果審查＋學習歷程資料審查）合計須至少 40%（目前為 35%）"
    ]


def test_r30_project_review_is_mandatory():
    """R30: the 專題實作及實習 outcome review is mandatory."""
    errors = weight_errors(weights(project=0, portfolio=50), TECH)
    assert errors == ["「專題實作及實習成果審查」為必要項目，比例須大於 0%"]


def test_r30_portfolio_data_review_is_mandatory():
    """R30: 學習歷程資料審查 is mandatory."""
    errors = weight_errors(weights(project=50, portfolio=0), TECH)
    assert errors == ["「學習歷程資料審查」為必要項目，比例須大於 0%"]


def test_r30_shares_add_to_100_percent():
    """R30: the shares add to 100%."""
    errors = weight_errors(weights(interview=10), TECH)
    assert errors == ["各項比例合計須為 100%（目前為 90%）"]


def test_r30_at_most_four_exam_subjects():
    """R30: at most 4 unified-exam subjects."""
    five = SUBJECTS + (ExamSubject("專業三", SubjectKind.PROFESSIONAL, Decimal(1)),)
    errors = weight_errors(weights(subjects=five), TECH)
    assert errors == ["統測採計科目最多 4 科（目前 5 科）"]


def test_r30_professional_subjects_outweigh_common_ones():
    """R30: the professional subjects' total weight must exceed the common subjects'."""
    even = (
        ExamSubject("國文", SubjectKind.COMMON, Decimal(2)),
        ExamSubject("專業一", SubjectKind.PROFESSIONAL, Decimal(2)),
    )
    errors = weight_errors(weights(subjects=even), TECH)
    assert errors == ["專業科目加權合計（2）須大於共同科目加權合計（2）"]


def test_r30_every_broken_clause_gets_its_own_message():
    """R30: several broken clauses → one message each, all at once."""
    bad = weights(exam=50, project=0, portfolio=10, interview=20, subjects=SUBJECTS * 2)
    errors = weight_errors(bad, TECH)
    assert len(errors) == 5, errors


@pytest.mark.django_db
def test_set_weights_refuses_and_keeps_the_old_weights():
    """R30: invalid weights are refused when saved and stored data is unchanged."""
    dept = department(TECH, code="500")
    setup.set_weights(dept, weights(), actor=None)

    with pytest.raises(AdmissionError) as exc:
        setup.set_weights(dept, weights(exam=0, interview=50), actor=None)

    dept.refresh_from_db()
    assert ScoreWeights.from_json(dept.weights) == weights()
    assert "統一入學測驗成績比例不可為 0%" in exc.value.messages


def test_other_channels_only_need_shares_adding_to_100():
    portfolio_only = ScoreWeights(parts={WeightPart.PORTFOLIO_REVIEW: Decimal(100)})
    assert weight_errors(portfolio_only, ChannelKind.UNIVERSITY_APPLICATION) == []
