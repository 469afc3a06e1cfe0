"""Sessions (登入工作階段) kept in the database, read with one statement written once.

Django's database session store, except for the read every request starts with: the ORM built and
compiled ``Session.objects.get(session_key=…, expire_date__gt=now)`` again for each request (128
µs of CPU warm, against 16 µs for the statement itself). Same row, same expiry test, same answer
when there is none: the session is empty and its key forgotten, as Django's own store does.
``SESSION_ENGINE = "licheng.accounts.sessions"``.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from licheng.lib.rows import quoted


@cache
def _statement() -> str:
    table, key, data, expires = (
        quoted(name)
        for name in (Session._meta.db_table, "session_key", "session_data", "expire_date")
    )
    # Only table and column names from the model are formatted in; the values are parameters.
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608  # nosec B608


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        expires = Session._meta.get_field("expire_date")
        now = expires.get_db_prep_value(timezone.now(), connection)  # SQLite keeps text
        with connection.cursor() as cursor:
            cursor.execute(_statement(), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=row[0])
