"""R38 in the demo: a 明德 student arrives at 光華 with their record, and a second run adds nothing."""

from __future__ import annotations

import importlib

import pytest
from django.db import transaction

from licheng.curriculum.models import PriorCourseRecord
from licheng.devtools.demo import STEPS, DemoContext
from licheng.evidence.domain.verify import problems
from licheng.portfolio.models import LearningOutcome, Performance
from licheng.schools.models import IncomingTransfer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _load(capture) -> DemoContext:
    ctx = DemoContext()
    for name in STEPS[: STEPS.index("licheng.devtools.demo.transfers") + 1]:
        with capture(execute=True), transaction.atomic():
            importlib.import_module(name).load(ctx)
    return ctx


def test_r38_demo_transfer_brings_the_record_and_is_idempotent(django_capture_on_commit_callbacks):
    ctx = _load(django_capture_on_commit_callbacks)
    transfer = IncomingTransfer.objects.get()
    assert transfer.student.school.code == "440301"
    assert PriorCourseRecord.objects.filter(transfer=transfer).exists()
    assert LearningOutcome.objects.filter(transfer=transfer, state="certified").exists()
    assert Performance.objects.filter(transfer=transfer, source="transfer").exists()
    assert any(role.startswith("學生（轉入") for role, *_ in ctx.logins)
    assert list(problems()) == []
    counts = (LearningOutcome.objects.count(), Performance.objects.count())
    _load(django_capture_on_commit_callbacks)
    assert (LearningOutcome.objects.count(), Performance.objects.count()) == counts
    assert IncomingTransfer.objects.count() == 1
