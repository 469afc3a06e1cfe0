"""Browser tests: Playwright drives Debian's headless Chromium against Django's live server.

Every page a test lands on is checked with axe-core (WCAG 2.0 A/AA and 2.1 AA) automatically:
the ``page`` fixture runs axe after every navigation the test awaits (``goto``, ``wait_for_url``,
an ``expect_navigation()`` block around a submit, ...) and on the last page, and fails the test at
teardown listing the violations of every page that had any (see ``page`` for the details). Content that changes without a load (an htmx swap, a dialog) is checked by calling
``assert_accessible(page)`` explicitly.

Never ``playwright install``: the browser is /usr/bin/chromium (LICHENG_CHROMIUM overrides).
Without it these tests are skipped with a loud reason, or fail under LICHENG_REQUIRE_ALL=1.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from licheng.devtools.testrun import chromium_path, require_all

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls a test makes between page actions. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything in this folder drives the browser, marked or not, so `-m "not browser"` holds.
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    message = f"!!! BROWSER TESTS NOT RUN: {reason} !!!"
    if require_all():
        pytest.fail(f"{message} (LICHENG_REQUIRE_ALL=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def axe_violations(page: Any) -> str:
    """The readable report of axe's WCAG violations on the page as it is now ('' when none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return results.generate_report() if results.violations_count else ""


def assert_accessible(page: Any) -> None:
    """Fail now if the page as it is (after an htmx swap, say) has WCAG violations."""
    report = axe_violations(page)
    assert not report, f"axe-core on {page.url}:\n{report}"


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    """A fresh page on the live server (relative URLs work) that checks every page with axe.

    axe runs after each navigation the test awaits through the page: ``goto``, ``reload``,
    ``go_back``, ``wait_for_url``, ``wait_for_load_state`` and the ``expect_navigation()`` block
    (use it around a click that submits a form), and on the last page at teardown. A document
    that loaded but was left before any of these is reported too, so no page escapes the check.
    Violations fail the test at teardown, all pages listed. ``transactional_db``: the live
    server thread must see the rows the test creates.
    """
    context = browser.new_context(base_url=live_server.url)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    loaded: list[str] = []  # URL of every document that fired "load", in order
    checked = 0  # how many of them have been accounted for
    problems: dict[str, str] = {}

    wait_for_load_state = new_page.wait_for_load_state  # before it is wrapped below

    def check() -> None:
        nonlocal checked
        wait_for_load_state("load")
        for url in loaded[checked:-1]:
            problems.setdefault(url, "loaded but left before the axe check; await the navigation")
        checked = len(loaded)
        if new_page.url.startswith("http"):
            report = axe_violations(new_page)
            if report:
                problems.setdefault(new_page.url, report)

    def checking(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            check()
            return result

        return wrapper

    @contextlib.contextmanager
    def expect_navigation(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with original_expect_navigation(*args, **kwargs) as info:
            yield info
        check()

    # The handler only notes the URL: calling back into Playwright from an event handler races
    # the test (and deadlocks from a route handler).
    new_page.on("load", lambda p: loaded.append(p.url))
    for name in ("goto", "reload", "go_back", "wait_for_url", "wait_for_load_state"):
        setattr(new_page, name, checking(getattr(new_page, name)))
    original_expect_navigation = new_page.expect_navigation
    new_page.expect_navigation = expect_navigation
    yield new_page
    try:
        check()
    finally:
        context.close()
    assert not problems, "\n\n".join(f"axe-core on {url}:\n{r}" for url, r in problems.items())
