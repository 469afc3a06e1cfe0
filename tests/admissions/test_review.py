"""R41: rubric scoring by several reviewers, 差分檢核, chair resolution, ranking; review period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from licheng.accounts.enums import Role
from licheng.admissions.domain import AdmissionError, review, setup
from licheng.audit.models import AuditEntry
from tests.factories import make_student, staff

from .fixtures import committee_member, department, score, seat, submitted_application

pytestmark = pytest.mark.django_db


def test_review_total_weighs_each_criterion():
    """R41: levels on a 5-level rubric, weighted: (3/5·40 + 5/5·60)/100 → 84."""
    dept = department()
    criteria = list(dept.criteria.all())
    total = review.review_total({criteria[0].pk: 3, criteria[1].pk: 5}, criteria, 5)
    assert total == Decimal("84.00")


def test_several_reviewers_score_the_same_applicant(student):
    """R41: several reviewers per applicant."""
    dept = department()
    app = submitted_application(student, dept)
    a, b = seat(dept), seat(dept)
    score(app, a, (4, 4))
    score(app, b, (5, 4))
    assert sorted(review.totals_of(app)) == [Decimal("80.00"), Decimal("88.00")]


def test_discrepancy_over_the_threshold_is_flagged(student):
    """R41 差分檢核: totals differing by more than the threshold flag the applicant."""
    dept = department(threshold=Decimal(10))
    app = submitted_application(student, dept)
    a, b = seat(dept), seat(dept)
    score(app, a, (5, 5))  # 100
    score(app, b, (4, 5))  # 92: within 10 → no flag
    assert not review.is_flagged(app)
    score(app, b, (2, 5))  # 76: 24 apart → flagged
    assert review.is_flagged(app)


def test_chair_resolves_the_flag_and_ranking_uses_the_agreed_score(student, other_student):
    """R41: the chair resolves a flag; the ranked table uses the agreed score."""
    dept = department(threshold=Decimal(10))
    flagged = submitted_application(student, dept)
    calm = submitted_application(other_student, dept)
    chair, member = seat(dept, chair=True), seat(dept)
    score(flagged, chair, (5, 5))
    score(flagged, member, (1, 1))
    score(calm, chair, (4, 4))

    with pytest.raises(AdmissionError, match="召集人"):
        review.resolve_discrepancy(flagged, chair=member, score=Decimal(70), note="討論")
    review.resolve_discrepancy(flagged, chair=chair, score=Decimal(70), note="兩位委員討論後議定")

    flagged.refresh_from_db()
    assert not review.is_flagged(flagged)
    rows = review.ranking(dept)
    assert [(r.application.pk, r.review_score, r.rank) for r in rows] == [
        (calm.pk, Decimal("80.00"), 1),
        (flagged.pk, Decimal(70), 2),
    ]


def test_only_the_departments_reviewers_can_score(student):
    """R41: a reviewer of another department cannot score these applicants."""
    dept = department()
    other = department(code="999", name="外系")
    outsider = seat(other)
    app = submitted_application(student, dept)
    with pytest.raises(AdmissionError, match="只有此校系的審查委員"):
        score(app, outsider, (3, 3))


def test_committee_staff_cannot_score(student):
    """R41: committee staff set the review up but cannot score, nor sit as reviewers."""
    dept = department()
    app = submitted_application(student, dept)
    committee = committee_member()
    with pytest.raises(AdmissionError, match="只有此校系的審查委員"):
        score(app, committee, (3, 3))
    with pytest.raises(AdmissionError, match="不是審查委員"):
        setup.add_reviewer(dept, committee, is_chair=False, actor=None)


def test_scoring_ends_with_the_review_period(student):
    """R41: reviewer access ends with the review period."""
    today = timezone.localdate()
    dept = department(
        review_opens_on=today - dt.timedelta(days=10), review_closes_on=today - dt.timedelta(days=1)
    )
    app = submitted_application(student, dept)
    member = seat(dept)
    with pytest.raises(AdmissionError, match="不在此校系的審查期間內"):
        score(app, member, (3, 3))


def test_every_level_must_be_given_and_in_range(student):
    dept = department()
    app = submitted_application(student, dept)
    member = seat(dept)
    first, second = dept.criteria.all()
    with pytest.raises(AdmissionError) as exc:
        review.score_application(app, reviewer=member, levels={first.pk: 9}, comment="")
    assert exc.value.messages == ["「學習歷程反思」的等級須介於 1 到 5", "請為「專業潛能」選擇等級"]
    assert not app.reviews.exists()


def test_rubric_cannot_change_once_scoring_started(student):
    dept = department()
    app = submitted_application(student, dept)
    score(app, seat(dept), (3, 3))
    with pytest.raises(AdmissionError, match="不可再修改評分尺規"):
        setup.set_rubric(dept, [setup.CriterionSpec("x", 1, ("a",) * 5)], actor=None)


def test_rubric_needs_a_descriptor_for_every_level():
    """R41: criteria × levels with descriptors."""
    dept = department(code="888")
    with pytest.raises(AdmissionError) as exc:
        setup.set_rubric(
            dept, [setup.CriterionSpec("表達", 50, ("a", "b", "", "d", "e"))], actor=None
        )
    assert exc.value.messages == ["「表達」須為每個等級（共 5 級）填寫描述"]


def test_package_open_is_audited(student):
    """R41/R35: every open of a package is audited."""
    dept = department()
    app = submitted_application(student, dept)
    member = seat(dept)
    review.record_package_open(app, user=member)
    entry = AuditEntry.objects.get(action="admissions.package_opened")
    assert (entry.actor, entry.object_id) == (member, str(app.pk))


def test_ranking_ties_share_a_rank(school_a):
    dept = department()
    member = seat(dept)
    apps = [submitted_application(make_student(school_a), dept) for _ in range(3)]
    score(apps[0], member, (5, 5))
    score(apps[1], member, (3, 3))
    score(apps[2], member, (3, 3))
    assert [r.rank for r in review.ranking(dept)] == [1, 2, 2]


def test_reviewer_role_is_needed_to_sit(student):
    teacher_like = staff(Role.CENTRAL_ADMIN, None)
    with pytest.raises(AdmissionError, match="不是審查委員"):
        setup.add_reviewer(department(), teacher_like, is_chair=False, actor=None)


def _queries_for_ranking(dept) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        review.ranking(dept)
    return len(ctx.captured_queries)


def test_ranking_queries_do_not_grow_with_applicants(school_a):
    """The chair's table costs the same number of queries for 1 applicant as for 3."""
    dept = department()
    member = seat(dept)
    first = submitted_application(make_student(school_a), dept)
    score(first, member, (4, 4))
    one = _queries_for_ranking(dept)
    for _ in range(2):
        score(submitted_application(make_student(school_a), dept), member, (3, 3))
    assert _queries_for_ranking(dept) == one


def test_reviewer_list_queries_do_not_grow_with_applicants(school_a, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    dept = department()
    member = seat(dept)
    client = login(member)
    url = reverse("web:review_department", kwargs={"pk": dept.pk})
    submitted_application(make_student(school_a), dept)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(2):
        submitted_application(make_student(school_a), dept)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three.captured_queries) == len(one.captured_queries)


def test_rubric_levels_cannot_change_once_scoring_started(student):
    dept = department(code="LV1")
    score(submitted_application(student, dept), seat(dept), (3, 3))
    with pytest.raises(AdmissionError, match="不可再變更評分等級數"):
        setup.save_department(dept.channel, actor=None, department=dept, rubric_levels=4)
    dept.refresh_from_db()
    assert dept.rubric_levels == 5
