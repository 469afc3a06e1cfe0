"""School settings (R11, R18, R34, R31): defaults from DOMAIN, changes audited."""

import pytest
from django.urls import reverse

from licheng.audit.models import AuditEntry
from licheng.schools.domain.policy import PolicyError, policy_of, update_policy


def test_r11_r18_r34_defaults(school_a):
    policy = policy_of(school_a)
    assert policy.outcomes_per_semester == 6  # R11
    assert policy.outcomes_per_course is None  # R11: no per-course cap by default
    assert policy.performances_per_year is None  # R18: unlimited
    assert policy.storage_quota_mb == 200  # R34


def test_r11_school_changes_quota_and_it_is_audited_before_after(school_a, school_admin):
    update_policy(school_a, actor=school_admin, outcomes_per_semester=20, outcomes_per_course=5)
    entry = AuditEntry.objects.get(action="schools.policy.update")
    assert entry.before == {"outcomes_per_semester": 6, "outcomes_per_course": None}
    assert entry.after == {"outcomes_per_semester": 20, "outcomes_per_course": 5}
    assert entry.actor == school_admin


def test_unchanged_settings_write_no_audit_entry(school_a, school_admin):
    update_policy(school_a, actor=school_admin, outcomes_per_semester=6)
    assert not AuditEntry.objects.filter(action="schools.policy.update").exists()


def test_zero_upload_quota_is_refused(school_a, school_admin):
    with pytest.raises(PolicyError):
        update_policy(school_a, actor=school_admin, outcomes_per_semester=0)
    assert policy_of(school_a).outcomes_per_semester == 6


def test_settings_page_saves_and_refuses_bad_input(login, school_admin, school_a):
    client = login(school_admin)
    data = {
        "outcomes_per_semester": 3,
        "outcomes_per_course": "",
        "performances_per_year": 20,
        "storage_quota_mb": 200,
        "password_min_length": 4,
        "reminder_days": 7,
    }
    response = client.post(reverse("web:school_settings"), data)
    assert response.status_code == 400
    assert "6 到 64" in response.content.decode()
    assert policy_of(school_a).outcomes_per_semester == 6
    data["password_min_length"] = 10
    assert client.post(reverse("web:school_settings"), data).status_code == 302
    policy = policy_of(school_a)
    assert (
        policy.outcomes_per_semester,
        policy.performances_per_year,
        policy.password_min_length,
    ) == (3, 20, 10)


def test_settings_page_refuses_teacher(login, teacher):
    assert login(teacher).get(reverse("web:school_settings")).status_code == 403
