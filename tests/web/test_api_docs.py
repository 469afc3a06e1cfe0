"""The API documentation page (/api/v1/docs) works under the site's CSP: Swagger UI's files come
from this site's static files, with no CDN and no inline script to block."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_api_docs_load_only_this_sites_static_files():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    # no executable inline script: the only inline one is JSON data
    inline = re.findall(r"<script(?![^>]*src=)([^>]*)>", page)
    assert all('type="application/json"' in attrs for attrs in inline), inline
    assert "cdn." not in page
    for src in sources:
        assert finders.find(src.removeprefix("/static/")), src
