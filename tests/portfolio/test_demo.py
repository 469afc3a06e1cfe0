"""The demo shows every outcome state and every performance category, with verifiable files."""

from __future__ import annotations

import pytest

from licheng.devtools.demo import STEPS, DemoContext
from licheng.evidence.domain.verify import problems
from licheng.evidence.models import StoredFile
from licheng.portfolio.enums import OutcomeState, PerformanceCategory, PerformanceSource
from licheng.portfolio.models import LearningOutcome, Performance

pytestmark = pytest.mark.slow


def load_until_evidence() -> None:
    """The demo steps up to and including this area's (later areas are tested by their owners)."""
    import importlib

    from django.db import transaction

    ctx = DemoContext()
    for name in STEPS[: STEPS.index("licheng.devtools.demo.evidence") + 1]:
        with transaction.atomic():
            importlib.import_module(name).load(ctx)


@pytest.mark.django_db
def test_demo_has_every_state_and_category_and_is_idempotent():
    load_until_evidence()
    files, outcomes, performances = (
        StoredFile.objects.count(),
        LearningOutcome.objects.count(),
        Performance.objects.count(),
    )
    assert set(LearningOutcome.objects.values_list("state", flat=True)) == set(OutcomeState.values)
    assert set(Performance.objects.values_list("category", flat=True)) == set(
        PerformanceCategory.values
    )
    # Performances brought by a transfer (R38) come with the later transfers step.
    assert set(Performance.objects.values_list("source", flat=True)) == set(
        PerformanceSource.values
    ) - {PerformanceSource.TRANSFER}
    assert set(StoredFile.objects.values_list("kind", flat=True)) == {
        "pdf",
        "jpg",
        "png",
        "mp3",
        "mp4",
    }
    assert list(problems()) == []
    # A second version of one proof, so the school's 舊版檔案 page has something to show.
    from licheng.portfolio.models import ReplacedFile

    assert ReplacedFile.objects.filter(performance__isnull=False).exists()
    load_until_evidence()
    assert (
        StoredFile.objects.count(),
        LearningOutcome.objects.count(),
        Performance.objects.count(),
    ) == (files, outcomes, performances)
