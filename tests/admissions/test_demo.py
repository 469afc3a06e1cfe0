"""The demo admission year loads, shows every part of the review, and a second run changes nothing."""

from __future__ import annotations

import pytest

from licheng.admissions.domain.review import ranking
from licheng.admissions.models import Application, Department, Review
from licheng.devtools.demo import DemoContext, admissions, foundation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_admissions_is_complete_and_idempotent():
    ctx = DemoContext()
    foundation.load(ctx)
    admissions.load(ctx)
    counts = (Department.objects.count(), Application.objects.count(), Review.objects.count())

    admissions.load(ctx)

    assert (
        Department.objects.count(),
        Application.objects.count(),
        Review.objects.count(),
    ) == counts
    csie = Department.objects.get(code="001012")
    rows = ranking(csie)
    assert any(r.flagged for r in rows) and rows[0].rank == 1
    assert Application.objects.filter(state="draft").count() == 2  # the demo students' own
    mech = Department.objects.get(code="101301")
    released = Application.objects.filter(department=mech, state="submitted").first()
    assert released is not None
    assert all(item["certified"] for item in released.snapshot["items"] if item["kind"] != "form_a")
