"""Error pages (404, 403, CSRF failure, 400, 500) speak zh-Hant first, English on request, and
lead back to the home page; all but 500 keep the site's layout and menu."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import client_for


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_missing_page_is_a_chinese_404_in_the_site_layout(student):
    response = client_for(student.user).get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert '<h1 id="error-h">找不到這個頁面</h1>' in page
    assert 'class="menu"' in page  # the student's menu, from base.html
    assert '<a href="/">回到首頁</a>' in page
    assert "Not Found" not in page


def test_missing_page_follows_the_english_language_cookie(student):
    response = _in_english(client_for(student.user)).get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in page
    assert "Log out" in page
    with translation.override("en"):
        assert f'<h1 id="error-h">{gettext("找不到這個頁面")}</h1>' in page


def test_refused_page_is_a_chinese_403(student):
    response = client_for(student.user).get("/school/proxy-certifiers/")

    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 id="error-h">沒有權限開啟這個頁面</h1>' in page
    assert 'class="menu"' in page
    assert "403 Forbidden" not in page


def test_refused_page_follows_the_english_language_cookie(student):
    response = _in_english(client_for(student.user)).get("/school/proxy-certifiers/")

    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en">' in page
    with translation.override("en"):
        assert f'<h1 id="error-h">{gettext("沒有權限開啟這個頁面")}</h1>' in page


def test_csrf_failure_is_a_chinese_403(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user, backend="licheng.accounts.backends.AccountBackend")

    response = client.post("/language/", {"language": "en"})

    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 id="error-h">表單已失效</h1>' in page
    assert "CSRF verification failed" not in page


def test_bad_host_is_a_chinese_400(db):
    response = Client().get("/login/", HTTP_HOST="not-our-site.example")

    page = response.content.decode()
    assert response.status_code == 400
    assert '<h1 id="error-h">無法處理這個請求</h1>' in page
    assert '<a href="/">回到首頁</a>' in page


def test_server_error_page_needs_no_request_or_database():
    # Django renders 500.html with an empty context; no db fixture: a query would fail the test.
    page = get_template("500.html").render()

    assert '<html lang="zh-Hant-TW">' in page
    assert '<h1 id="error-h">系統暫時發生錯誤</h1>' in page
    assert 'href="/static/licheng/css/site.css"' in page
    assert '<a href="/">回到首頁</a>' in page


def test_server_error_page_is_served_in_the_requests_language(student, settings):
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    client = _in_english(client_for(student.user))
    client.raise_request_exception = False

    response = client.get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in page
    with translation.override("en"):
        assert f'<h1 id="error-h">{gettext("系統暫時發生錯誤")}</h1>' in page
