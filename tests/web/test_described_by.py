"""Every aria-describedby on a page names an element of that page: a field's help text and its
errors are read out with the field (Django's widgets point at ``<id>_helptext`` and ``<id>_error``)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client

from licheng.schools.enums import WindowKind
from tests.conftest import client_for
from tests.portfolio.conftest import enrol, make_course, open_window


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name == "aria-describedby" and value:
                self.described_by += value.split()


def dangling_descriptions(html: str) -> list[str]:
    """The ids aria-describedby names that no element of the page has."""
    parser = _Ids()
    parser.feed(html)
    assert parser.described_by, "the page should describe at least one field"
    return [ref for ref in parser.described_by if ref not in parser.ids]


def test_login_page_help_texts_are_linked(db):
    page = Client().get("/login/").content.decode()

    assert dangling_descriptions(page) == []
    assert 'id="id_username_helptext"' in page


def test_login_page_errors_are_linked(school_a):
    page = Client().post("/login/", {"school": school_a.code}).content.decode()

    assert dangling_descriptions(page) == []
    assert 'id="id_username_error"' in page


def test_outcome_upload_page_help_texts_and_errors_are_linked(student, teacher, school_a):
    open_window(school_a, WindowKind.OUTCOME_UPLOAD)
    enrol(student, make_course(school_a, teacher))
    client = client_for(student.user)

    assert dangling_descriptions(client.get("/outcomes/").content.decode()) == []
    refused = client.post("/outcomes/", {"action": "submit"}).content.decode()
    assert dangling_descriptions(refused) == []
