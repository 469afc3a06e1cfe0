"""The request a piece of work is done for: its address and id, so audit entries can carry them."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""


current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "licheng_request",
    default=RequestContext(),  # noqa: B039 (frozen dataclass: immutable)
)
