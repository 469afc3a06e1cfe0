"""Login throttling (登入保護, R31): an account locks after a few failures from one address; an
address locks only after many failures across accounts.

A school's classrooms reach the platform from one address (NAT). With one limit for both, five
typos by any five students — or five on purpose by one — locked the whole school out for the
cool-off time, deadline day included. Guessing one password across many student numbers (the
first password is the national ID) is still stopped, at ``LICHENG_LOGIN_ADDRESS_FAILURE_LIMIT``.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with two limits. ``AXES_LOCKOUT_PARAMETERS`` names the
    account at an address first and the address second; axes compares what this returns with
    its one ``AXES_FAILURE_LIMIT``, so the address's failures are scaled to that limit."""

    def get_failures(self, request, credentials=None) -> int:
        account, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = get_failure_limit(request, credentials)
        return max(account, address * limit // settings.LOGIN_ADDRESS_FAILURE_LIMIT)
