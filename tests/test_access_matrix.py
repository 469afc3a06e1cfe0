"""Access-control matrix: every URL pattern × every member of the cast (DOMAIN §1, R35)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from tests.access import CAST, Row, rows
from tests.conftest import client_for

ROWS = rows()
# Logout and language switching are harmless for anyone; everything else refuses strangers.
# API endpoints authenticated by a key (not a session) refuse everyone in the cast with 401.
ANONYMOUS_REFUSALS = {302, 401}
REFUSALS = {302, 401, 403, 404, 405}


def _visit(row: Row, who: str, cast: dict):
    client = client_for(cast[who])
    url = reverse(row.url_name, kwargs=row.kwargs(cast)) + (f"?{row.query}" if row.query else "")
    return getattr(client, row.method)(url)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.url_name}:{r.method}")
def test_access_matrix(row: Row, cast):
    """Each person is allowed exactly where the row says, and refused everywhere else."""
    wrong = []
    for who in CAST:
        response = _visit(row, who, cast)
        allowed = who in row.allowed
        if allowed and response.status_code not in row.ok:
            wrong.append(f"{who}: expected {sorted(row.ok)}, got {response.status_code}")
        refused = ANONYMOUS_REFUSALS if who == "anonymous" else REFUSALS
        if not allowed and response.status_code not in refused:
            wrong.append(f"{who}: expected refusal, got {response.status_code}")
        if who == "anonymous" and not allowed and response.status_code == 302:
            assert "/login/" in response["Location"], response["Location"]
    assert not wrong, "\n".join(wrong)


def _all_url_names(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern, ns)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    """A new page or endpoint must say who may use it."""
    covered = {r.url_name for r in ROWS}
    # django-ninja's root pattern only anchors its URL prefix; it serves nothing (404).
    missing = sorted(_all_url_names() - covered - {"api:api-root"})
    assert not missing, f"URL patterns with no access-matrix row: {missing}"
