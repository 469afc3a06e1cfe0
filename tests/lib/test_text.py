from licheng.lib.text import char_count, too_long


def test_cjk_character_counts_one():
    assert char_count("學習歷程") == 4
    assert char_count("AI 專題") == 5


def test_decomposed_characters_count_as_people_see_them():
    assert char_count("e\u0301") == 1  # é written as e + combining accent


def test_too_long_names_the_limit_and_the_count():
    assert too_long("字" * 100, 100) is None
    assert too_long("字" * 101, 100) == "超過 100 字上限（目前 101 字）"
