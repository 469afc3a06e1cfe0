"""Course codes (課程代碼): the documented structure, the check character, forgiving input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licheng.lib import course_code
from licheng.lib.course_code import ALPHABET, CourseCode, CourseCodeError, parse


def test_course_code_round_trips_through_its_text():
    code = CourseCode(113, "313301", "national_required", "101", 1)
    assert parse(str(code)) == code
    assert str(code).startswith("113-313301-A-101-001-")


def test_course_code_accepts_full_width_lower_case_and_no_dashes():
    code = str(CourseCode(113, "313301", "school_elective", "000", 42))
    typed = code.replace("-", "").lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.replace("-", ""))
    assert course_code.canonical(typed) == code
    assert course_code.canonical(f"  {full_width} ") == code


def test_course_code_catches_every_single_wrong_character():
    code = str(CourseCode(112, "440301", "project_practice", "301", 7)).replace("-", "")
    for i, original in enumerate(code):
        for replacement in ALPHABET:
            if replacement != original:
                typo = code[:i] + replacement + code[i + 1 :]
                assert course_code.problem(typo) is not None, typo


def test_course_code_catches_swapped_neighbours():
    code = str(CourseCode(112, "440301", "project_practice", "301", 7)).replace("-", "")
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert course_code.problem(swapped) is not None, swapped


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "請輸入課程代碼"),
        ("113-313301-A-101-001", "應為 17 碼"),
        ("113-313301-Z-101-001-0", "類別代號「Z」不存在"),
        ("11A-313301-A-101-001-0", "格式錯誤"),
    ],
)
def test_course_code_explains_what_is_wrong(text, reason):
    assert reason in (course_code.problem(text) or "")


@given(st.text(max_size=40))
def test_course_code_parser_never_crashes_on_arbitrary_text(text):
    """Property: any string either parses or raises CourseCodeError with a reason (never a 500)."""
    try:
        code = parse(text)
    except CourseCodeError as exc:
        assert str(exc)
    else:
        assert parse(str(code)) == code


@given(
    st.integers(1, 999),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.sampled_from(sorted(course_code.LETTER_OF_CATEGORY)),
    st.from_regex(r"[0-9A-Z]{3}", fullmatch=True),
    st.integers(1, 999),
)
def test_course_code_every_valid_code_parses_back(year, school, category, dept, serial):
    code = CourseCode(year, school, category, dept, serial)
    assert parse(str(code)) == code
