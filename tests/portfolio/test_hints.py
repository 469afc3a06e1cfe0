"""Quality hints: what reviewers say students get wrong (warn, never block)."""

from __future__ import annotations

import pytest

from licheng.portfolio.hints import description_hints, file_hints

GOOD = "我負責設計實驗與分析數據，學到如何控制變因；下次我會增加重複次數讓結果更可靠。"


def codes(text: str, **kwargs) -> list[str]:
    return [h.code for h in description_hints(text, **kwargs)]


@pytest.mark.parametrize("text", ["謝謝老師", "如附檔", "收穫滿滿！", "如附件。"])
def test_boilerplate_is_flagged(text):
    assert "boilerplate" in codes(text)


def test_short_description_is_flagged():
    assert "too_short" in codes("做了一份報告")


def test_good_description_has_no_hints():
    assert codes(GOOD) == []


def test_missing_learning_and_next_step_are_flagged():
    assert codes("我負責整理資料並製作三十頁的簡報投影片，並在課堂上報告給全班同學聽") == [
        "no_learning",
        "no_next_step",
    ]


def test_group_work_without_own_part_is_flagged():
    text = "我們小組一起完成了水質調查，學到採樣方法，下次會擴大採樣範圍並比較季節差異。"
    assert codes(text) == ["no_own_part"]
    assert "no_own_part" not in codes(text.replace("我們小組一起", "我負責採樣，小組"))


def test_group_flag_from_the_form():
    assert "no_own_part" in codes(
        "完成一份水質調查，學到採樣方法，下次會擴大採樣範圍並比較季節差異。", group_work=True
    )


def test_qr_code_is_flagged():
    assert "qr_code" in codes(GOOD + "影片請掃描 QR code")


def test_pdf_with_many_pages_is_flagged():
    assert [h.code for h in file_hints(25)] == ["too_many_pages"]
    assert file_hints(3) == [] and file_hints(None) == []


def test_hints_never_block_an_upload(student, course):
    """Hints warn only: a boilerplate description is still accepted."""
    from licheng.portfolio.domain.outcomes import create_outcome

    from .conftest import pdf

    outcome = create_outcome(
        student,
        course=course,
        title="報告",
        description="謝謝老師",
        document=pdf(),
        actor=student.user,
    )
    assert outcome.pk and "boilerplate" in codes(outcome.description)


def test_r10_a_description_over_the_limit_is_flagged_before_saving():
    """R10, R16: the hints never call a description complete that saving would refuse; a CJK
    character counts one, as the limit counts it."""
    assert "too_long" not in codes(GOOD)
    assert "too_long" not in codes("學" * 100)
    long = GOOD * 3  # well-formed, but 3 × 39 characters
    assert codes(long) == ["too_long"]
    assert "117 字，超過 100 字上限" in description_hints(long)[0].message


def test_hints_endpoint_counts_characters_and_warns_when_too_long(student, login):
    """R10: the page shows a live count (CJK characters count one) and a warning over 100."""
    client = login(student.user)
    page = client.post("/outcomes/hints/", {"description": GOOD}).content.decode()
    assert "已輸入 39／100 字" in page and "簡述看起來很完整" in page
    page = client.post("/outcomes/hints/", {"description": GOOD * 3}).content.decode()
    assert "已輸入 117／100 字" in page and 'data-hint="too_long"' in page
    assert "簡述看起來很完整" not in page
    # What saving will refuse is not filed under advice that "does not affect the upload".
    assert 'data-hint="too_long"' in page.split("儲存前必須修正")[1] and "僅供參考" not in page
    both = client.post("/outcomes/hints/", {"description": "謝謝老師" * 30}).content.decode()
    refused, advice = both.split("儲存前必須修正")[1].split("僅供參考")
    assert 'data-hint="too_long"' in refused and "too_long" not in advice
    assert 'data-hint="no_learning"' in advice
