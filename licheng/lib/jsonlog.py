"""Structured JSON log lines carrying the request id."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry["http"] = http  # the access log's fields (licheng.ops.accesslog)
        if record.exc_info or record.exc_text:
            # exc_text first: the redacting filter may have cleaned it.
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
