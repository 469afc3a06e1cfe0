"""Browsers ask for /favicon.ico on every site: it answers with the platform's icon."""

from __future__ import annotations

from django.test import Client

from tests.conftest import client_for


def test_favicon_ico_redirects_to_the_static_icon(db):
    response = Client().get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/licheng/favicon.ico"


def test_favicon_ico_is_served(db):
    response = Client().get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # ICO header


def test_favicon_is_linked_from_every_page(db):
    page = Client().get("/login/").content.decode()

    assert 'rel="icon" href="/static/licheng/favicon.ico"' in page
    assert 'rel="icon" href="/static/licheng/favicon.svg" type="image/svg+xml"' in page
    assert Client().get("/static/licheng/favicon.svg").status_code == 200


def test_favicon_ico_is_not_caught_by_the_first_login_gate(student):
    student.user.must_change_password = True
    student.user.save(update_fields=["must_change_password"])

    response = client_for(student.user).get("/favicon.ico")

    assert response["Location"] == "/static/licheng/favicon.ico"
