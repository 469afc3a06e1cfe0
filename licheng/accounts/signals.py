"""Audit entries for logins, failed logins and logouts: Django sends the signals, we record them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from licheng.audit.domain import record

from .backends import login_name


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("accounts.login", actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the account name is kept; the password never is.
    name = login_name(credentials.get("username", "") or "", credentials.get("school") or None)
    record("accounts.login_failed", actor_label=name[:200])
