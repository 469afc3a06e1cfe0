"""Diverse-performance forms name every problem in one answer (R15, R16, R17), not one per submit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from licheng.evidence.models import StoredFile
from licheng.portfolio.domain import PortfolioError
from licheng.portfolio.models import Performance

from .conftest import pdf
from .test_performances import add

LONG = "我" * 105

# What QA's competition lacked: its level, award and 個人或團體, with a 105-character description.
MISSING = {
    "id_competition_level": "請填寫「競賽等級」",
    "id_competition_award": "請填寫「獎項/名次」",
    "id_competition_team": "請填寫「個人或團體」",
}


def recent() -> str:
    return (timezone.localdate() - dt.timedelta(days=3)).isoformat()


def field_block(page: str, field_id: str) -> str:
    """The ``<div class="field">`` holding the label for ``field_id``: where its errors show."""
    match = re.search(
        rf'<div class="field[^"]*">\s*<label for="{field_id}">.*?</div>', page, re.DOTALL
    )
    assert match, field_id
    return match.group(0)


def assert_each_on_its_field(page: str, messages: dict[str, str]) -> None:
    for field_id, message in messages.items():
        block = field_block(page, field_id)
        assert "has-error" in block and message in block, (field_id, message)


def test_domain_error_carries_every_problem_and_the_first_as_message(student, windows_open):
    """R15, R16, R17: one PortfolioError names every field; ``message`` stays the first one."""
    with pytest.raises(PortfolioError) as caught:
        add(
            student,
            activity_date=dt.date(2001, 1, 1),
            details={"organizer": "教育部"},
            description=LONG,
            link="javascript:alert(1)",
        )
    errors = caught.value.errors
    assert list(errors) == [
        "activity_date",
        "detail_level",
        "detail_award",
        "detail_team",
        "description",
        "link",
    ]
    assert (caught.value.field, caught.value.message) == ("activity_date", errors["activity_date"])
    assert Performance.objects.count() == 0


def test_add_page_reports_every_problem_in_one_answer(student, windows_open, login):
    """R15, R16: the category's missing fields and the too-long description come back together,
    each on its own field; nothing is stored, and the page says the chosen file must be picked
    again."""
    response = login(student.user).post(
        "/performances/",
        {
            "category": "competition",
            "title": "全國科展",
            "activity_date": recent(),
            "detail_competition_organizer": "教育部",
            "description": LONG,
            "files": [pdf("獎狀.pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert_each_on_its_field(
        page,
        {
            **MISSING,
            "id_description": "簡述超過 100 字上限（目前 105 字）",
            "id_files": "重新選擇檔案",
        },
    )
    assert Performance.objects.count() == 0 and StoredFile.objects.count() == 0


def test_add_page_joins_the_forms_and_the_domains_problems(student, windows_open, login):
    """R15, R16, R17: a missing title (the form's check) does not hide the date before enrolment,
    the bad link or the missing category fields (the domain's)."""
    response = login(student.user).post(
        "/performances/",
        {
            "category": "competition",
            "title": "",
            "activity_date": "2001-01-01",
            "detail_competition_organizer": "教育部",
            "link": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert_each_on_its_field(
        page,
        {
            **MISSING,
            "id_activity_date": "7 月 1 日",
            "id_link": "連結須以 http:// 或 https:// 開頭",
        },
    )
    assert "has-error" in field_block(page, "id_title")
    assert Performance.objects.count() == 0


def test_edit_page_reports_every_problem_in_one_answer(student, windows_open, login):
    """R15, R16, R17: the edit page names the date, the category's missing fields and the
    description at once; the item and its files are unchanged."""
    item = add(student, files=[pdf("舊.pdf")])
    stored = StoredFile.objects.count()
    response = login(student.user).post(
        f"/performances/{item.pk}/",
        {
            "title": "改名",
            "activity_date": "2001-01-01",
            "detail_competition_organizer": "教育部",
            "description": LONG,
            "files": [pdf("新.pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert_each_on_its_field(
        page,
        {
            **MISSING,
            "id_activity_date": "7 月 1 日",
            "id_description": "簡述超過 100 字上限（目前 105 字）",
            "id_files": "重新選擇檔案",
        },
    )
    item.refresh_from_db()
    assert item.title == "全國科展" and item.details["level"] == "全國"
    assert [f.original_name for f in item.files.all()] == ["舊.pdf"]
    assert StoredFile.objects.count() == stored
