"""Sessions (登入工作階段) kept in the database, each with its user's id, read with its user.

Django's database store, on ``accounts.Session``: the same data, expiry and keys, plus the id
of the person signed in, so that the read every request starts with brings the user too
(signed_in.py) — Django read the session through the ORM, then the user in a second query.
A session whose key is unknown or expired is empty and its key forgotten, as Django's store
does. ``SESSION_ENGINE = "licheng.accounts.sessions"``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from .signed_in import session_data


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session: Any = super().create_model_instance(data)
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session

    def _get_session_from_db(self):
        key = self.session_key or ""  # Django loads only a session it has a key for
        expires = self.model._meta.get_field("expire_date")
        now = expires.get_db_prep_value(timezone.now(), connection)  # SQLite keeps text
        data = session_data(key, now)
        if data is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=data)


def _user_id(value) -> int | None:
    from .models import User

    if value is None:
        return None
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None
