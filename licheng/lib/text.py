"""Counting characters the way the portfolio rules do: one Unicode character each (R10, R16)."""

import unicodedata


def char_count(text: str) -> int:
    """Characters as a person counts them: NFC-normalized code points, so 「學」 is one."""
    return len(unicodedata.normalize("NFC", text))


def too_long(text: str, limit: int) -> str | None:
    n = char_count(text)
    if n > limit:
        return f"超過 {limit} 字上限（目前 {n} 字）"
    return None
