"""Audit (R35): who did what, from where; each administrator sees their own scope."""

from django.test import Client
from django.urls import reverse

from licheng.audit.domain import record
from licheng.audit.models import AuditEntry


def test_login_and_logout_are_audited_with_address(student, school_a):
    from tests.factories import PASSWORD

    client = Client(REMOTE_ADDR="192.0.2.5")
    client.post(
        reverse("web:login"),
        {"school": school_a.code, "username": student.student_number, "password": PASSWORD},
    )
    client.post(reverse("web:logout"))
    login = AuditEntry.objects.get(action="accounts.login")
    assert login.actor == student.user and login.ip == "192.0.2.5" and login.request_id
    assert AuditEntry.objects.filter(action="accounts.logout", actor=student.user).exists()


def test_school_admin_sees_only_own_school_entries(login, school_admin, school_a, school_b):
    record("test.a", actor=None, school=school_a, actor_label="a-side")
    record("test.b", actor=None, school=school_b, actor_label="b-side")
    page = login(school_admin).get(reverse("web:audit_log")).content.decode()
    assert "test.a" in page and "test.b" not in page


def test_central_admin_sees_all_entries(login, central_admin, school_a, school_b):
    record("test.a", actor=None, school=school_a)
    record("test.b", actor=None, school=school_b)
    page = login(central_admin).get(reverse("web:audit_log")).content.decode()
    assert "test.a" in page and "test.b" in page
