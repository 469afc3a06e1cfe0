"""Every request's own reads, written once (lib/rows.py): the session, the signed-in person with
their registration and school, and the student's row lock. Each must answer exactly what the
ORM answered before, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licheng.accounts.backends import AccountBackend, signed_in_user
from licheng.accounts.models import Session, User
from licheng.accounts.sessions import SessionStore
from licheng.schools.domain.locks import lock_student
from licheng.schools.models import Student

pytestmark = pytest.mark.django_db


def _orm_user(pk: int) -> User:
    return User.objects.select_related("student__school").get(pk=pk)


def test_a_students_user_comes_with_registration_and_school_in_one_statement(student):
    with CaptureQueriesContext(connection) as ctx:
        user = signed_in_user(student.user_id)
        assert user is not None
        school = user.student.school
        assert user.student.user is user
    assert len(ctx.captured_queries) == 1
    expected = _orm_user(student.user_id)
    assert model_to_dict(user) == model_to_dict(expected)
    assert user.last_login == expected.last_login and user.date_joined == expected.date_joined
    assert model_to_dict(user.student) == model_to_dict(expected.student)
    assert model_to_dict(school) == model_to_dict(expected.student.school)
    assert user._state.db == "default" and not user._state.adding
    assert not user.student._state.adding and not school._state.adding


def test_a_user_who_is_not_a_student_has_no_registration_and_costs_no_second_query(teacher):
    user = signed_in_user(teacher.pk)
    with CaptureQueriesContext(connection) as ctx, pytest.raises(Student.DoesNotExist):
        user.student  # noqa: B018
    assert ctx.captured_queries == []
    assert model_to_dict(user) == model_to_dict(User.objects.get(pk=teacher.pk))


def test_unknown_and_deactivated_users_are_not_signed_in(student):
    assert signed_in_user(10**9) is None
    assert AccountBackend().get_user(student.user_id).pk == student.user_id
    User.objects.filter(pk=student.user_id).update(is_active=False)
    assert AccountBackend().get_user(student.user_id) is None


def test_a_session_reads_back_what_was_saved(student):
    store = SessionStore()
    store[SESSION_KEY] = str(student.user_id)
    store["language"] = "en"
    store.create()
    again = SessionStore(store.session_key)
    assert again[SESSION_KEY] == str(student.user_id) and again["language"] == "en"


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten(student):
    store = SessionStore()
    store[SESSION_KEY] = str(student.user_id)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert SESSION_KEY not in expired
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_signed_in_page_still_knows_its_student(client, student):
    client.force_login(student.user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.student.pk == student.pk


def test_the_student_lock_locks_one_row_by_its_key(student):
    """R11, R34: the quotas are checked under this lock; on PostgreSQL it is FOR UPDATE of the
    student's row alone (no join that would lock the school's row too)."""
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        lock_student(student)
    (statement,) = [q["sql"] for q in ctx.captured_queries]
    assert "JOIN" not in statement.upper()
    assert f"= {student.pk}" in statement or "%s" in statement
    if connection.features.has_select_for_update:
        assert statement.rstrip().upper().endswith("FOR UPDATE")


def test_r31_a_session_ends_with_logout_and_its_cookie_no_longer_signs_in(client, student):
    client.force_login(student.user)
    cookie = client.cookies["sessionid"].value
    assert client.get("/").wsgi_request.user.is_authenticated
    client.post("/logout/")
    client.cookies["sessionid"] = cookie  # the old cookie, kept by whoever copied it
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_r31_a_password_changed_elsewhere_signs_out_the_other_sessions(client, student):
    client.force_login(student.user)
    assert client.get("/").wsgi_request.user.is_authenticated
    user = User.objects.get(pk=student.user_id)
    user.set_password("An0ther-Passw0rd!")
    user.save()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_request_reads_its_session_and_its_user_in_one_statement(client, student):
    client.force_login(student.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
        assert response.wsgi_request.user.student.school.pk == student.school_id
    first, *rest = [q["sql"] for q in ctx.captured_queries]
    assert "accounts_session" in first and "accounts_user" in first and "schools_school" in first
    assert not [sql for sql in rest if 'FROM "accounts_user" u' in sql or "accounts_session" in sql]
    assert not [sql for sql in rest if '"accounts_user"."id" = ' in sql]


def test_the_session_row_names_its_user_and_goes_with_logout(client, student, teacher):
    client.force_login(student.user)
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == student.user_id
    client.force_login(teacher)  # another person in the same browser: a new session
    assert Session.objects.get(session_key=client.cookies["sessionid"].value).user_id == teacher.pk
    assert not Session.objects.filter(session_key=key).exists()
    client.post("/logout/")
    assert not Session.objects.filter(user=teacher).exists()


def test_a_user_read_with_one_session_is_never_given_for_another_person(student, teacher):
    from licheng.accounts.signed_in import session_data

    store = SessionStore()
    store[SESSION_KEY] = str(student.user_id)
    store.create()
    now = Session._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
    assert session_data(store.session_key, now)
    assert signed_in_user(teacher.pk).pk == teacher.pk  # not the student read with the session
    assert session_data(store.session_key, now)
    assert signed_in_user(student.user_id).pk == student.user_id


def test_signed_in_browsers_stay_signed_in_through_the_upgrade(student):
    """Sessions in Django's table move with their user's id (migration 0004)."""
    import importlib

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    old = DjangoStore()
    old[SESSION_KEY] = str(student.user_id)
    old.create()
    migration = importlib.import_module("licheng.accounts.migrations.0004_session_with_user")
    migration.keep_signed_in(apps, None)
    moved = Session.objects.get(session_key=old.session_key)
    assert moved.user_id == student.user_id
    assert SessionStore(old.session_key)[SESSION_KEY] == str(student.user_id)


def test_a_user_read_with_a_session_is_not_carried_into_the_next_request(student):
    """The user read with one request's session waits only for that request's get_user."""
    from django.core.signals import request_started
    from django.db import close_old_connections

    from licheng.accounts import signed_in

    store = SessionStore()
    store[SESSION_KEY] = str(student.user_id)
    store.create()
    now = Session._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
    signed_in.session_data(store.session_key, now)  # read, never asked for
    request_started.disconnect(close_old_connections)  # as the test client does
    try:
        request_started.send(sender=None)  # the next request
    finally:
        request_started.connect(close_old_connections)
    User.objects.filter(pk=student.user_id).update(full_name="改過的名字")
    assert signed_in_user(student.user_id).full_name == "改過的名字"  # read again, not carried
