"""The person a request is for (每次請求的使用者), read with their session in one statement.

Every request reads its session, then its user; a student's pages all need the registration and
the school next. The session row keeps its user's id (``accounts.Session``), so one statement
reads the session, the user, the registration and the school — what two ORM queries with
``select_related("student__school")`` fetched, written once per process (lib/rows.py). The user
read with the session waits here for Django's ``get_user``, which asks the authentication
backend for that id and checks the session against the password as it always does.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Any, cast

from django.db import connection, models

from licheng.lib.rows import RowReader, quoted, select_list

from .models import Session, User

_NOT_READ = object()
# (user id, user) read with this request's session; taken once by the backend's get_user.
_preloaded: ContextVar[tuple[Any, Any]] = ContextVar(
    "signed_in_preloaded", default=(None, _NOT_READ)
)


def forget_preloaded(**_kwargs) -> None:
    """At each request's start (``request_started``): a user read with an earlier request's
    session, never asked for, is not carried into this one."""
    _preloaded.set((None, _NOT_READ))


def signed_in_user(user_id) -> User | None:
    """The user ``user_id`` with registration and school: the one read with this request's
    session when it is that user, else read now."""
    found_id, user = _preloaded.get()
    if user is not _NOT_READ:
        _preloaded.set((None, _NOT_READ))
        if found_id == user_id:
            return cast("User | None", user)
    sql, readers = _statement(by_session=False)
    return _read(sql, [user_id], readers, leading=0)


def session_data(session_key: str, now) -> str | None:
    """The session's data if it has not expired; its user is kept for ``signed_in_user``."""
    sql, readers = _statement(by_session=True)
    found = _read_row(sql, [session_key, now])
    if found is None:
        _preloaded.set((None, _NOT_READ))
        return None
    user = _build(found[1:], readers) if found[1] is not None else None
    _preloaded.set((user.pk if user is not None else None, user))
    return found[0]


def _read(sql: str, params: list, readers, leading: int) -> User | None:
    row = _read_row(sql, params)
    return None if row is None else _build(row[leading:], readers)


def _read_row(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _build(row, readers: tuple[RowReader, RowReader, RowReader]) -> User:
    users, students, schools = readers
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
def _statement(*, by_session: bool) -> tuple[str, tuple[RowReader, RowReader, RowReader]]:
    from licheng.schools.models import School, Student

    def column(model: type[models.Model], name: str) -> str:
        field: Any = model._meta.get_field(name)
        return quoted(field.column)

    people = f"{select_list(User, 'u')}, {select_list(Student, 's')}, {select_list(School, 'sc')}"
    joins = (
        f"LEFT JOIN {quoted(Student._meta.db_table)} s "
        f"ON s.{column(Student, 'user')} = u.{column(User, 'id')} "
        f"LEFT JOIN {quoted(School._meta.db_table)} sc "
        f"ON sc.{column(School, 'id')} = s.{column(Student, 'school')}"
    )
    # Only table and column names from the models are formatted in; values are parameters.
    if by_session:
        sql = (
            f"SELECT ss.{column(Session, 'session_data')}, {people} "  # noqa: S608  # nosec B608
            f"FROM {quoted(Session._meta.db_table)} ss "
            f"LEFT JOIN {quoted(User._meta.db_table)} u "
            f"ON u.{column(User, 'id')} = ss.{column(Session, 'user')} {joins} "
            f"WHERE ss.{column(Session, 'session_key')} = %s "
            f"AND ss.{column(Session, 'expire_date')} > %s"
        )
    else:
        sql = (
            f"SELECT {people} FROM {quoted(User._meta.db_table)} u {joins} "  # noqa: S608  # nosec B608
            f"WHERE u.{column(User, 'id')} = %s"
        )
    return sql, (RowReader(User), RowReader(Student), RowReader(School))
