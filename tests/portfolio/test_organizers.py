"""Organizer keys and imports (R19): hashed keys, revocation, idempotent by record id."""

from __future__ import annotations

import pytest
from django.utils import timezone

from licheng.audit.models import AuditEntry
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.domain.organizers import (
    authenticate_key,
    create_organizer,
    issue_key,
    revoke_key,
)
from licheng.portfolio.domain.performances import import_organizer_result, own_count
from licheng.portfolio.enums import PerformanceSource
from licheng.portfolio.models import OrganizerKey


@pytest.fixture
def organizer(central_admin):
    return create_organizer(name="全國科展主辦單位", actor=central_admin)


def test_key_is_stored_hashed_and_authenticates(organizer, central_admin):
    key, raw = issue_key(organizer, label="2026 科展", actor=central_admin)
    assert raw not in str(OrganizerKey.objects.values_list().get(pk=key.pk))
    assert authenticate_key(raw) == key
    assert authenticate_key(raw + "x") is None


def test_revoked_key_is_refused(organizer, central_admin):
    key, raw = issue_key(organizer, actor=central_admin)
    revoke_key(key, actor=central_admin)
    assert authenticate_key(raw) is None
    assert AuditEntry.objects.filter(action="portfolio.organizer_key.revoke").exists()


def test_duplicate_organizer_name_refused(organizer, central_admin):
    with pytest.raises(PortfolioError, match="同名"):
        create_organizer(name="全國科展主辦單位", actor=central_admin)


def result(organizer, student, record_id="R-1", **kwargs):
    values = {
        "category": "competition",
        "title": "全國科展",
        "activity_date": timezone.localdate(),
        "details": {"organizer": "教育部", "level": "全國", "award": "第一名", "team": "個人"},
    }
    values.update(kwargs)
    return import_organizer_result(organizer, record_id=record_id, student=student, **values)


def test_import_is_idempotent_by_record_id(organizer, student):
    """R19: a repeated import with the same record id changes nothing."""
    first, created = result(organizer, student)
    again, created_again = result(organizer, student, title="改過的名稱")
    assert (created, created_again, again.pk, again.title) == (True, False, first.pk, "全國科展")


def test_imported_items_are_marked_and_do_not_count(organizer, student):
    """R19: imported items are marked organizer-verified and do not count toward the quota."""
    performance, _ = result(organizer, student)
    assert performance.source == PerformanceSource.ORGANIZER and not performance.counts_toward_quota
    assert own_count(student, performance.academic_year) == 0


def test_import_applies_the_date_rule(organizer, student):
    """R17 applies to imports too."""
    import datetime as dt

    with pytest.raises(PortfolioError, match="7 月 1 日"):
        result(
            organizer, student, activity_date=student.earliest_activity_date - dt.timedelta(days=1)
        )
