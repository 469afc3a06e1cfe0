"""Department review (校系書面審查, R41): scores per rubric criterion, 差分檢核, ranking.

Only a department's reviewers score, only during its review period, only released applications.
Committee staff set the review up but cannot score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from licheng.audit.domain import record

from ..enums import ApplicationState, WeightPart
from ..models import (
    Application,
    CriterionScore,
    Department,
    DepartmentReviewer,
    DiscrepancyResolution,
    Review,
    RubricCriterion,
)
from . import AdmissionError
from .weights import ScoreWeights

TWO_PLACES = Decimal("0.01")


def review_open(department: Department, day: dt.date | None = None) -> bool:
    """R41: reviewer access ends with the review period (and has not begun before it)."""
    day = day or timezone.localdate()
    if department.review_opens_on is None or department.review_closes_on is None:
        return False
    return department.review_opens_on <= day <= department.review_closes_on


def seat_of(user: Any, department: Department) -> DepartmentReviewer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return DepartmentReviewer.objects.filter(department=department, user=user).first()


def review_total(levels: dict[int, int], criteria: list[RubricCriterion], n_levels: int) -> Decimal:
    """A review's total on 0–100: each criterion's level as a fraction of the top, by weight."""
    weight_sum = sum(c.weight for c in criteria)
    earned = sum((Decimal(levels[c.pk]) / n_levels * c.weight for c in criteria), Decimal(0))
    return (earned * 100 / weight_sum).quantize(TWO_PLACES, ROUND_HALF_UP)


@transaction.atomic
def score_application(
    application: Application,
    *,
    reviewer: Any,
    levels: dict[int, int],
    comment: str,
    day: dt.date | None = None,
) -> Review:
    """Score one applicant on every rubric criterion, with a comment (R41)."""
    department = application.department
    if seat_of(reviewer, department) is None:
        raise AdmissionError(gettext("只有此校系的審查委員可以評分"))
    if not review_open(department, day):
        raise AdmissionError(gettext("不在此校系的審查期間內，無法評分"))
    if application.state != ApplicationState.SUBMITTED:
        raise AdmissionError(gettext("此申請尚未送出，無法評分"))
    criteria = list(department.criteria.all())
    if not criteria:
        raise AdmissionError(gettext("此校系尚未設定評分尺規"))
    errors = []
    for c in criteria:
        level = levels.get(c.pk)
        if level is None:
            errors.append(gettext("請為「%(criterion)s」選擇等級") % {"criterion": c.name})
        elif not 1 <= level <= department.rubric_levels:
            errors.append(
                gettext("「%(criterion)s」的等級須介於 1 到 %(levels)s")
                % {"criterion": c.name, "levels": department.rubric_levels}
            )
    if errors:
        raise AdmissionError(errors[0], messages=errors)
    review, _ = Review.objects.get_or_create(application=application, reviewer=reviewer)
    before = {
        "total": review.total,
        "levels": {s.criterion_id: s.level for s in review.scores.all()},
    }
    review.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(review=review, criterion=c, level=levels[c.pk]) for c in criteria
    )
    review.comment = comment.strip()
    review.total = review_total(levels, criteria, department.rubric_levels)
    review.save()
    record(
        "admissions.scored",
        actor=reviewer,
        obj=application,
        before=before,
        after={"total": review.total, "levels": {c.pk: levels[c.pk] for c in criteria}},
    )
    return review


def totals_of(application: Application) -> list[Decimal]:
    return [r.total for r in application.reviews.all() if r.total is not None]


def is_flagged(application: Application) -> bool:
    """R41 差分檢核: two reviewers' totals differ by more than the department's threshold."""
    totals = totals_of(application)
    if len(totals) < 2 or hasattr(application, "resolution"):
        return False
    return max(totals) - min(totals) > application.department.discrepancy_threshold


@transaction.atomic
def resolve_discrepancy(
    application: Application, *, chair: Any, score: Decimal, note: str
) -> DiscrepancyResolution:
    """The chair (召集人) records the score agreed after re-discussion of a flagged applicant."""
    seat = seat_of(chair, application.department)
    if seat is None or not seat.is_chair:
        raise AdmissionError(gettext("只有此校系的召集人可以處理差分檢核"))
    if not is_flagged(application):
        raise AdmissionError(gettext("此考生沒有待處理的差分檢核"))
    if not Decimal(0) <= score <= Decimal(100):
        raise AdmissionError(gettext("議定分數須介於 0 到 100"), field="score")
    if not note.strip():
        raise AdmissionError(gettext("請填寫討論紀錄"), field="note")
    resolution = DiscrepancyResolution.objects.create(
        application=application, chair=chair, score=score, note=note.strip()
    )
    record(
        "admissions.discrepancy_resolved",
        actor=chair,
        obj=application,
        before={"totals": totals_of(application)},
        after={"score": score},
    )
    return resolution


def record_package_open(application: Application, *, user: Any, how: str = "web") -> None:
    """R35/R41: every open of an applicant's package is audited (who read what)."""
    record("admissions.package_opened", actor=user, obj=application, after={"via": how})


@dataclass
class RankRow:
    """One line of the chair's ranked table (排序表)."""

    application: Application
    totals: list[Decimal]
    review_score: Decimal | None
    weighted: Decimal | None
    flagged: bool
    resolved: bool
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    rank: int | None = None


def ranking(department: Department) -> list[RankRow]:
    """Released applicants by review score: the mean of the totals, or the chair's agreed score.

    The weighted total is that score times the department's portfolio-review share (R30).
    """
    weights = ScoreWeights.from_json(department.weights)
    portfolio = weights.share(WeightPart.PORTFOLIO_REVIEW) + weights.share(
        WeightPart.PROJECT_REVIEW
    )
    applications = (
        Application.objects.filter(department=department, state=ApplicationState.SUBMITTED)
        .select_related("registration__student", "resolution", "department")
        .prefetch_related("reviews__scores")
    )
    rows = []
    for app in applications:
        totals = totals_of(app)
        resolution = getattr(app, "resolution", None)
        if resolution is not None:
            score: Decimal | None = resolution.score
        elif totals:
            score = (sum(totals, Decimal(0)) / len(totals)).quantize(TWO_PLACES, ROUND_HALF_UP)
        else:
            score = None
        levels: dict[int, list[int]] = {}
        for review in app.reviews.all():
            for s in review.scores.all():
                levels.setdefault(s.criterion_id, []).append(s.level)
        rows.append(
            RankRow(
                application=app,
                totals=totals,
                review_score=score,
                weighted=(score * portfolio / 100).quantize(TWO_PLACES, ROUND_HALF_UP)
                if score is not None and portfolio
                else None,
                flagged=is_flagged(app),
                resolved=resolution is not None,
                criterion_means={
                    k: (Decimal(sum(v)) / len(v)).quantize(TWO_PLACES) for k, v in levels.items()
                },
            )
        )
    rows.sort(key=lambda r: (r.review_score is None, -(r.review_score or 0), r.application.pk))
    previous: Decimal | None = None
    for i, row in enumerate(rows, start=1):
        if row.review_score is None:
            continue
        # Ties share a rank (1, 2, 2, 4).
        row.rank = rows[i - 2].rank if i > 1 and row.review_score == previous else i
        previous = row.review_score
    return rows
