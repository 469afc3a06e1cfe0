"""The access log (存取紀錄): one JSON line per request, with its request id.

Query strings are left out (reset and verification tokens travel there), and the path goes
through the same redaction as every other log line. The request id ties the line to the audit
entries the request wrote.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from licheng.lib.redact import redact

logger = logging.getLogger("licheng.access")


class AccessLogMiddleware:
    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        path = redact(request.path)
        match = getattr(request, "resolver_match", None)
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            path,
            response.status_code,
            elapsed_ms,
            extra={
                "http": {
                    "method": request.method,
                    "path": path,
                    "route": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": elapsed_ms,
                    "remote_addr": request.META.get("REMOTE_ADDR", ""),
                }
            },
        )
        return response
