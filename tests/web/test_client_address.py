"""The client's address behind the load balancer (web/client_address.py): X-Forwarded-For is
believed only from trusted proxies, and only back to the first untrusted hop."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from licheng.audit.context import current
from licheng.web.client_address import ClientAddressMiddleware, client_address
from licheng.web.middleware import RequestIdMiddleware


@pytest.fixture(autouse=True)
def _balancer(settings):
    settings.FORWARDED_ALLOW_IPS = "10.0.0.0/8, 192.0.2.1"


def meta(peer: str, forwarded: str | None = None) -> dict:
    return {"REMOTE_ADDR": peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}


def test_a_direct_client_is_its_own_address_whatever_it_claims():
    assert client_address(meta("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_the_balancer_names_the_client():
    assert client_address(meta("10.0.0.5", "203.0.113.9")) == "203.0.113.9"


def test_a_forged_hop_before_the_client_is_not_believed():
    # The client wrote "1.2.3.4" itself; the balancer appended the address it saw.
    assert client_address(meta("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_back():
    assert client_address(meta("192.0.2.1", "203.0.113.9, 10.1.2.3")) == "203.0.113.9"


def test_a_trusted_peer_without_the_header_is_the_address():
    assert client_address(meta("10.0.0.5")) == "10.0.0.5"


def test_every_peer_trusted_takes_the_first_named(settings):
    settings.FORWARDED_ALLOW_IPS = "*"
    assert client_address(meta("198.51.100.7", "203.0.113.9, 10.1.2.3")) == "203.0.113.9"


def test_audit_entries_record_the_client_behind_the_balancer():
    """The request context (audit log, access log) carries the client's address."""
    seen = {}

    def probe(request):
        seen["ip"] = current.get().ip
        return HttpResponse("ok")

    handler = ClientAddressMiddleware(RequestIdMiddleware(probe))
    handler(RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert seen["ip"] == "203.0.113.9"
