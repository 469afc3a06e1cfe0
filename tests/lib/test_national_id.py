import random

from hypothesis import given
from hypothesis import strategies as st

from licheng.lib import national_id


def test_known_valid_id_passes_checksum():
    assert national_id.checksum_ok("A123456789")
    assert national_id.checksum_ok("a123456789")  # the letter is normalized


def test_wrong_check_digit_is_named():
    assert national_id.problem("A123456788") == "身分證統一編號檢查碼錯誤"


def test_wrong_length_and_format_are_named():
    assert "10 碼" in national_id.problem("A12345")
    assert "格式錯誤" in national_id.problem("1234567890")
    assert "格式錯誤" in national_id.problem("A323456789")  # sex digit must be 1 or 2


def test_fake_ids_always_pass_checksum():
    rng = random.Random(1)
    assert all(national_id.checksum_ok(national_id.fake(rng)) for _ in range(500))


@given(st.text(max_size=20))
def test_problem_never_raises(text):
    result = national_id.problem(text)
    assert result is None or isinstance(result, str)
    assert (result is None) == national_id.checksum_ok(text)
