"""The API documentation page renders in the browser under the site's CSP (R19: organizers work
through the API it describes)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render(page):
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Licheng" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.get_by_text("/api/v1/organizer/results").count() >= 1
