"""Log hygiene over the whole test run (a pytest plugin, loaded by tests/conftest.py).

Every log record any test emits goes through the production handler chain (request id,
redaction, JSON) into one file. When the run ends, the file is searched for anything shaped like
a national ID with a valid checksum (every demo and factory student has one); finding one fails
the run and prints the offending lines.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

from licheng.lib import national_id

CANDIDATE = re.compile(r"[A-Z][12]\d{8}")
_handler: logging.Handler | None = None


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / f"licheng-test-logs-{os.getpid()}.jsonl"


def leaked_ids(text: str) -> list[str]:
    return sorted({m for m in CANDIDATE.findall(text) if national_id.checksum_ok(m)})


def pytest_sessionstart(session):
    global _handler
    from licheng.lib.jsonlog import JsonFormatter
    from licheng.lib.redact import RedactingFilter
    from licheng.web.middleware import RequestIdFilter

    path = log_path()
    path.unlink(missing_ok=True)
    _handler = logging.FileHandler(path, encoding="utf-8")
    _handler.addFilter(RequestIdFilter())
    _handler.addFilter(RedactingFilter())
    _handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(_handler)


def pytest_sessionfinish(session, exitstatus):
    if _handler is None:
        return
    logging.getLogger().removeHandler(_handler)
    _handler.close()
    path = log_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    leaks = leaked_ids(text)
    if leaks:
        lines = [line for line in text.splitlines() if any(nid in line for nid in leaks)]
        print(f"\nLOG HYGIENE: {len(leaks)} national ID(s) appeared in log lines:")
        for line in lines[:10]:
            print("  " + line[:300])
        session.exitstatus = 1
    else:
        path.unlink(missing_ok=True)
