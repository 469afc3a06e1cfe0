"""The client's address (用戶端位址) behind the load balancer.

Behind the load balancer (docs/deploy.md) every request arrives from the balancer's address. Login
throttling (R31, accounts/throttle.py), the audit log and the access log all need the student's
own address, or a whole country shares one: one address's failures would lock everyone out. The
balancer names the client in ``X-Forwarded-For``; that header is believed only when the request
came from a trusted proxy (``LICHENG_FORWARDED_ALLOW_IPS``, the setting gunicorn reads too), and
only as far back as the chain of trusted proxies goes, since a client can write anything there.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(spec: str) -> tuple[Network, ...] | None:
    """The trusted proxies' networks; None when every peer is trusted (``*``)."""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if "*" in parts:
        return None
    return tuple(ipaddress.ip_network(p, strict=False) for p in parts)


def _is_trusted(address: str, networks: tuple[Network, ...] | None) -> bool:
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(meta: dict) -> str:
    """The nearest address in the forwarding chain that is not a trusted proxy."""
    peer = meta.get("REMOTE_ADDR", "")
    networks = _trusted(settings.FORWARDED_ALLOW_IPS)
    if not _is_trusted(peer, networks):
        return peer
    chain = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(chain):
        if not _is_trusted(address, networks):
            return address
    return chain[0] if chain else peer


class ClientAddressMiddleware:
    """Puts the client's own address in ``REMOTE_ADDR`` before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request.META)
        return self.get_response(request)
