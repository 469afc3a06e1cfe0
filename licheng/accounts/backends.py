"""Login (登入): students by school + student number, staff by school + account name, the others
by account name or e-mail (R31)."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from licheng.lib.rows import RowReader, quoted, select_list

from .models import User


def login_name(account: str, school_code: str | None = None) -> str:
    """The stored username for what a person types into the login form."""
    account = account.strip()
    if school_code:
        return f"{school_code.strip()}:{account}"
    return account.lower() if "@" in account else account


def axes_username(request, credentials) -> str:
    """The name django-axes counts failures under: the same account, however it was typed."""
    credentials = credentials or {}
    return login_name(credentials.get("username", "") or "", credentials.get("school") or None)


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, school=None, **kwargs):
        if not username or password is None:
            return None
        name = login_name(username, school)
        try:
            user = User.objects.get(username=name)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id) -> User | None:
    """The person a session belongs to (每次請求的使用者), with their student registration and its
    school: every request loads its user and a student's pages all need the other two next, so
    they come in the same statement — what ``select_related("student__school")`` would fetch,
    written once instead of compiled again per request (lib/rows.py)."""
    sql, users, students, schools = _signed_in_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = cast(User, users.build(row[: users.width]))
    registration: Any = User._meta.get_field("student")  # the reverse side of Student.user
    student_values = row[users.width : users.width + students.width]
    if student_values[0] is None:  # not a student: user.student raises without a query
        registration.set_cached_value(user, None)
        return user
    student = students.build(student_values)
    school_field: Any = student._meta.get_field("school")
    school_field.set_cached_value(student, schools.build(row[users.width + students.width :]))
    registration.field.set_cached_value(student, user)  # Student.user
    registration.set_cached_value(user, student)
    return user


@cache
def _signed_in_statement() -> tuple[str, RowReader, RowReader, RowReader]:
    from licheng.schools.models import School, Student

    def column(model, name: str) -> str:
        return quoted(model._meta.get_field(name).column)

    # Only table and column names from the models are formatted in; the id is a parameter.
    sql = (
        f"SELECT {select_list(User, 'u')}, {select_list(Student, 's')}, "  # noqa: S608  # nosec B608
        f"{select_list(School, 'sc')} FROM {quoted(User._meta.db_table)} u "
        f"LEFT JOIN {quoted(Student._meta.db_table)} s ON s.{column(Student, 'user')} = u.{column(User, 'id')} "
        f"LEFT JOIN {quoted(School._meta.db_table)} sc "
        f"ON sc.{column(School, 'id')} = s.{column(Student, 'school')} "
        f"WHERE u.{column(User, 'id')} = %s"
    )
    return sql, RowReader(User), RowReader(Student), RowReader(School)
