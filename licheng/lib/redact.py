"""Keep national IDs, passwords and tokens out of log lines (個資遮蔽).

A log line travels further than the database (log shippers, screenshots in support tickets), so
the filter rewrites every record before any handler formats it. It errs on the side of hiding:
anything shaped like a national ID or resident certificate number is masked, checksum or not.
"""

from __future__ import annotations

import logging
import re

MASK = "[已遮蔽]"

# 身分證統一編號 (letter, 1/2) and 居留證 numbers (letter, 8/9 in the new format; two letters in
# the old), not glued to other letters or digits.
NATIONAL_ID = re.compile(r"(?<![A-Za-z0-9])[A-Za-z](?:[1289]\d|[A-Da-d]\d)\d{7}(?![A-Za-z0-9])")
# key=value, "key": "value" and key: value for secrets, in query strings, JSON and prose.
SECRET = re.compile(
    r"""(?ix)
    (?P<key>["']?(?:password|passwd|pwd|new_password\d?|old_password|secret|token|
        api[_-]?key|access[_-]?key|secret[_-]?key|authorization|csrfmiddlewaretoken|sessionid)
        ["']?\s*[:=]\s*["']?)
    (?:bearer\s+|basic\s+)?
    (?P<value>[^\s"'&,;}]+)
    """
)
# Password-reset and e-mail-verification links carry their token in the path.
TOKEN_PATH = re.compile(r"(/(?:password-reset|account/email/verify)/)[^\s\"']+")


def redact(text: str) -> str:
    text = NATIONAL_ID.sub(MASK, text)
    text = SECRET.sub(lambda m: m.group("key") + MASK, text)
    return TOKEN_PATH.sub(lambda m: m.group(1) + MASK + "/", text)


class RedactingFilter(logging.Filter):
    """Replace the message (arguments merged in) with its redacted form; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must still not leak its arguments
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
