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
    open_key,
    receive_organizer_result,
    revoke_key,
)
from licheng.portfolio.domain.performances import import_organizer_result, own_count
from licheng.portfolio.enums import PerformanceSource
from licheng.portfolio.models import OrganizerKey, Performance


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
    """R19: importing a record id again creates nothing (the content is compared, and a
    correction applied, by ``receive_organizer_result``)."""
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


def test_r19_open_key_says_a_revoked_key_was_revoked(organizer, central_admin):
    """R19: a revoked key is refused saying so; an unknown key only that it is not valid."""
    key, raw = issue_key(organizer, actor=central_admin)
    assert open_key(raw) == key
    revoke_key(key, actor=central_admin)
    with pytest.raises(PortfolioError, match="已於 .* 撤銷.*請向中央管理者申請新的金鑰"):
        open_key(raw)
    with pytest.raises(PortfolioError, match="^API 金鑰無效"):
        open_key(raw[:-1])
    with pytest.raises(PortfolioError, match="^缺少 API 金鑰"):
        open_key("")


def receive(organizer, student, record_id="R-1", **kwargs):
    values = {
        "category": "competition",
        "title": "全國科展",
        "activity_date": timezone.localdate(),
        "details": {"organizer": "教育部", "level": "全國", "award": "佳作", "team": "個人"},
    }
    values.update(kwargs)
    return receive_organizer_result(organizer, record_id=record_id, student=student, **values)


def test_r19_receive_creates_keeps_and_corrects_by_record_id(organizer, student):
    """R19: the first row creates, the same content again is unchanged, other content corrects
    the same item and names the fields it changed."""
    first = receive(organizer, student)
    same = receive(organizer, student, record_id=" R-1 ", title=" 全國科展 ")
    corrected = receive(
        organizer,
        student,
        category="other",
        details={"organizer": "教育部"},
        description="第 65 屆",
    )
    assert (first.status, same.status, corrected.status) == ("created", "unchanged", "updated")
    assert first.performance.pk == same.performance.pk == corrected.performance.pk
    assert corrected.changed == ("category", "details", "description")
    corrected.performance.refresh_from_db()
    assert corrected.performance.category == "other"
    assert corrected.performance.details == {"organizer": "教育部"}
    assert own_count(student, corrected.performance.academic_year) == 0


def test_r19_a_resend_arriving_while_the_first_is_being_imported_is_judged_as_a_resend(
    organizer, student, monkeypatch
):
    """R19: the same record id twice at once. The second call's first lookup ran before the
    first call committed; it must neither report "created" again nor drop its correction."""
    from licheng.portfolio.domain import organizers

    first = receive(organizer, student)
    looked = organizers._imported
    calls = []

    def too_early(*args):
        calls.append(args)
        return None if len(calls) == 1 else looked(*args)

    monkeypatch.setattr(organizers, "_imported", too_early)
    resent = receive(organizer, student, description="第 65 屆")
    assert (resent.status, resent.changed) == ("updated", ("description",))
    assert resent.performance.pk == first.performance.pk
    assert Performance.objects.filter(organizer=organizer).count() == 1


@pytest.mark.django_db(transaction=True)
def test_r19_the_same_record_id_twice_at_once_imports_it_once(organizer, student):
    """R19, on PostgreSQL with two real transactions: both calls pass the lookups before either
    inserts; the unique key stops the second insert, and that call becomes a resend."""
    import threading

    from django.db import connection

    from licheng.portfolio.domain import performances

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the two inserts cannot overlap")
    both_checked = threading.Barrier(2, timeout=20)
    validate = performances._validate

    def validate_together(*args, **kwargs):
        both_checked.wait()  # both calls have looked and found nothing
        return validate(*args, **kwargs)

    results, errors = [], []

    def call() -> None:
        try:
            results.append(receive(organizer, student, record_id="R-race"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    performances._validate = validate_together
    try:
        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        performances._validate = validate
    assert errors == []
    assert sorted(r.status for r in results) == ["created", "unchanged"]
    assert Performance.objects.filter(organizer_record_id="R-race").count() == 1
