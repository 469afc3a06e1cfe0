"""Row locks that serialize a student's own writes (R11, R18, R34 quotas)."""

from __future__ import annotations

from functools import cache

from django.db import connection

from licheng.lib.rows import quoted

from ..models import Student


def lock_student(student: Student) -> None:
    """Take the student's row lock until the caller's transaction ends; only that row.

    ``Student``'s default ordering goes through the school, so a plain ``.first()`` joins the
    school's table and its ``FOR UPDATE`` locked the school's row too: every upload of the whole
    school then queued behind the one holding it, file fsync included. By primary key, no
    columns but the key, unordered: one row locked, and a statement written once (every upload
    runs it; lib/rows.py says why).
    """
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [student.pk])
        cursor.fetchall()


@cache
def _statement() -> str:
    key = quoted(Student._meta.pk.column)
    # SQLite has no row locks: its writers take the whole database, one at a time.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Only the table and column names are formatted in; the id is a parameter.
    return f"SELECT {key} FROM {quoted(Student._meta.db_table)} WHERE {key} = %s{lock}"  # noqa: S608  # nosec B608
