"""Course codes (課程代碼): a structured, self-checking identifier for a published course.

The format (docs/course-code.md)::

    113-313301-A-101-001-P
    │   │      │ │   │   └ check character (ISO 7064 MOD 37,36 over the other 16 characters)
    │   │      │ │   └──── serial within year, school, category and department (001–999)
    │   │      │ └──────── department code (科別代碼, 3 digits or capitals; 000 = none)
    │   │      └────────── category letter (課程類別, see CATEGORY_LETTERS)
    │   └───────────────── school code (學校代碼, 6 digits)
    └───────────────────── academic year (學年度, 3 digits, ROC)

Typed codes are forgiving: full-width characters, lower case, spaces and missing dashes are all
accepted and normalised; anything else gets a reason in plain words (``CourseCodeError``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Category letters; the curriculum app maps its CourseCategory values onto them.
CATEGORY_LETTERS = {
    "A": "national_required",  # 部定必修
    "B": "school_required",  # 校訂必修
    "C": "school_elective",  # 校訂選修
    "D": "multiple_elective",  # 多元選修
    "E": "project_practice",  # 專題實作及實習
    "F": "flexible",  # 彈性學習
}
LETTER_OF_CATEGORY = {v: k for k, v in CATEGORY_LETTERS.items()}
NO_DEPARTMENT = "000"
BODY_LENGTH = 16  # characters before the check character, without dashes
_PARTS = re.compile(
    r"^(?P<year>[0-9]{3})(?P<school>[0-9]{6})(?P<category>[A-Z])(?P<department>[0-9A-Z]{3})"
    r"(?P<serial>[0-9]{3})(?P<check>[0-9A-Z])$"
)


class CourseCodeError(ValueError):
    """A typed or imported course code is not valid; the message says why in plain words."""


@dataclass(frozen=True)
class CourseCode:
    academic_year: int
    school_code: str
    category: str  # a CATEGORY_LETTERS value
    department_code: str
    serial: int

    def __post_init__(self) -> None:
        if not 1 <= self.academic_year <= 999:
            raise CourseCodeError("學年度須為 1 至 999")
        if not re.fullmatch(r"[0-9]{6}", self.school_code):
            raise CourseCodeError("學校代碼須為 6 位數字")
        if self.category not in LETTER_OF_CATEGORY:
            raise CourseCodeError("不明的課程類別")
        if not re.fullmatch(r"[0-9A-Z]{3}", self.department_code):
            raise CourseCodeError("科別代碼須為 3 碼數字或大寫英文字母")
        if not 1 <= self.serial <= 999:
            raise CourseCodeError("流水號須為 001 至 999")

    @property
    def body(self) -> str:
        return (
            f"{self.academic_year:03d}{self.school_code}{LETTER_OF_CATEGORY[self.category]}"
            f"{self.department_code}{self.serial:03d}"
        )

    @property
    def check(self) -> str:
        return check_character(self.body)

    def __str__(self) -> str:
        b = self.body
        return f"{b[0:3]}-{b[3:9]}-{b[9]}-{b[10:13]}-{b[13:16]}-{self.check}"


def check_character(body: str) -> str:
    """ISO 7064 MOD 37,36: catches every single wrong character and every swap of neighbours."""
    modulus = 36
    product = modulus
    for char in body:
        total = (product + ALPHABET.index(char)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(1 - product) % modulus]


def normalize(text: str) -> str:
    """Full-width to half-width, upper case, no spaces or dashes of any width."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return re.sub(r"[\s\-‐‑‒–—―－]", "", folded)


def parse(text: str) -> CourseCode:
    """Read a typed or imported code; raises ``CourseCodeError`` with the reason."""
    if not isinstance(text, str) or not text.strip():
        raise CourseCodeError("請輸入課程代碼")
    compact = normalize(text)
    if len(compact) != BODY_LENGTH + 1:
        raise CourseCodeError(
            f"課程代碼應為 {BODY_LENGTH + 1} 碼（不含連字號），目前 {len(compact)} 碼；"
            "格式如 113-313301-A-101-001-P"
        )
    match = _PARTS.match(compact)
    if match is None:
        raise CourseCodeError(
            "課程代碼格式錯誤：應為 學年度3碼-學校代碼6碼-類別1字母-科別3碼-流水號3碼-檢查碼1碼"
        )
    letter = match["category"]
    if letter not in CATEGORY_LETTERS:
        raise CourseCodeError(f"課程類別代號「{letter}」不存在（應為 A–F）")
    if check_character(compact[:BODY_LENGTH]) != match["check"]:
        raise CourseCodeError("課程代碼檢查碼錯誤，請確認是否輸入錯字")
    return CourseCode(
        academic_year=int(match["year"]),
        school_code=match["school"],
        category=CATEGORY_LETTERS[letter],
        department_code=match["department"],
        serial=int(match["serial"]),
    )


def problem(text: str) -> str | None:
    """The reason ``text`` is not a valid course code, or ``None``."""
    try:
        parse(text)
    except CourseCodeError as exc:
        return str(exc)
    return None


def canonical(text: str) -> str:
    """The stored form (with dashes) of a valid code; raises ``CourseCodeError`` otherwise."""
    return str(parse(text))
