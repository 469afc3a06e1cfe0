"""Taiwan national ID numbers (身分證統一編號) and their checksum."""

from __future__ import annotations

import random
import re

# Letter → two-digit area code, as printed on the ID card rules of 內政部.
LETTER_CODES = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
PATTERN = re.compile(r"^[A-Z][12]\d{8}$")


def normalize(value: str) -> str:
    """Upper-case the letter and drop surrounding spaces; the first password uses this form (R31)."""
    return value.strip().upper()


def checksum_ok(value: str) -> bool:
    code = normalize(value)
    if not PATTERN.match(code):
        return False
    area = LETTER_CODES[code[0]]
    digits = [area // 10, area % 10, *(int(c) for c in code[1:])]
    return sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) % 10 == 0


def problem(value: str) -> str | None:
    """A plain-words reason why ``value`` is not a valid ID, or ``None`` if it is."""
    code = normalize(value)
    if len(code) != 10:
        return f"身分證統一編號應為 10 碼（目前 {len(code)} 碼）"
    if not PATTERN.match(code):
        return "身分證統一編號格式錯誤：應為 1 個英文字母、性別碼 1 或 2，再接 8 位數字"
    if not checksum_ok(code):
        return "身分證統一編號檢查碼錯誤"
    return None


def make(letter: str, sex: int, body: str) -> str:
    """Complete an ID from a letter, sex digit (1/2) and 7 digits by computing the check digit."""
    area = LETTER_CODES[letter]
    digits = [area // 10, area % 10, sex, *(int(c) for c in body)]
    total = sum(d * w for d, w in zip(digits, WEIGHTS[:10], strict=True))
    return f"{letter}{sex}{body}{(10 - total % 10) % 10}"


def fake(rng: random.Random) -> str:
    """A checksum-valid ID for demo and test data. The 9 prefix of the body keeps it improbable
    that it belongs to a real person; it is still never shown outside demo data."""
    letter = rng.choice("ABCDEFGHJKLMNPQTUVWXZ")
    body = "9" + "".join(rng.choice("0123456789") for _ in range(6))
    return make(letter, rng.choice((1, 2)), body)
