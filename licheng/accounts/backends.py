"""Login (登入): students by school + student number, staff by school + account name, the others
by account name or e-mail (R31)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User
from .signed_in import signed_in_user


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
