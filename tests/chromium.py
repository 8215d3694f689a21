"""Headless Chromium through Playwright, with axe-core: the browser tests' fixtures and helpers.

A pytest plugin, named in tests/conftest.py. Nothing here imports Playwright until a test
asks for a browser (the fixtures) or calls a helper, so a run without browser tests
(`make check`) never imports it: tests/test_fast_tier.py checks that.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.models import AbstractBaseUser
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

VIEWPORT_HEIGHT = 720

AXE_RUN = """async () => await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                                    'best-practice']},
    resultTypes: ['violations']
})"""

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def expect(actual, message: str | None = None):
    """Playwright's `expect`, imported when a browser test first uses it."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


@pytest.fixture(scope="session")
def playwright_instance(django_db_setup) -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright
        # While Playwright's event loop runs in this thread, Django keeps the thread's
        # database connections apart from those it had before (asgiref's Local sees a
        # running loop; hence DJANGO_ALLOW_ASYNC_UNSAFE). Close them while the loop still
        # runs, or one outlives the test database and stops it being dropped.
        connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run 'make test' or 'apt-get install chromium'."
        )
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def viewport_width() -> int:
    """The browser window's width in CSS px; parametrise it to see the site at other widths."""
    return 1280


@pytest.fixture(scope="session")
def browser_contexts(browser: Browser, live_server) -> Iterator[dict[bool, BrowserContext]]:
    """A test process's two browser contexts, by whether JavaScript is on.

    Each test has a page of its own in one of them, with cookies and permissions cleared:
    a new context would open its page in a new renderer process, about twice the work.
    Links to pages an earlier test opened show as visited, as in a person's browser.
    """
    contexts = {}
    for javascript in (True, False):
        # bypass_csp lets the test inject axe-core; the site's own pages never need it.
        # One device pixel a CSS pixel, so screenshots measure in CSS px.
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            bypass_csp=True,
            viewport={"width": 1280, "height": VIEWPORT_HEIGHT},
            device_scale_factor=1,
        )
        context.set_default_timeout(10_000)
        context.javascript_enabled_for_tests = javascript
        contexts[javascript] = context
    yield contexts
    for context in contexts.values():
        context.close()


def as_a_new_visitor(page: Page, width: int) -> Page:
    """`page`, `width` CSS px wide, with no cookies or permissions: the visitor is signed out."""
    page.context.clear_cookies()
    page.context.clear_permissions()
    page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
    return page


def new_page(context: BrowserContext, width: int) -> Iterator[Page]:
    """A page of its own for one test, as a new visitor has it."""
    page = as_a_new_visitor(context.new_page(), width)
    yield page
    page.close()


@pytest.fixture
def page(browser_contexts: dict[bool, BrowserContext], viewport_width: int) -> Iterator[Page]:
    """A page with JavaScript on (htmx active)."""
    yield from new_page(browser_contexts[True], viewport_width)


@pytest.fixture
def page_without_js(
    browser_contexts: dict[bool, BrowserContext], viewport_width: int
) -> Iterator[Page]:
    """A page with JavaScript off: every flow must still work."""
    yield from new_page(browser_contexts[False], viewport_width)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def sign_in(page: Page, live_server, user: AbstractBaseUser) -> None:
    """Give the browser the session cookie of `user`, signed in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def axe_violations(page: Page) -> list[dict]:
    """What axe-core (WCAG 2.2 A/AA and best practice) finds wrong on the page.

    axe needs JavaScript, so a page from a JavaScript-free context is scanned as
    a copy: the same HTML at the same address, with the same cookies.
    """
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run 'make test' (it runs npm ci).")
    scratch = None
    target = page
    if not page.context.javascript_enabled_for_tests:
        scratch = page.context.browser.new_context(
            bypass_csp=True,
            storage_state=page.context.storage_state(),
            viewport=page.viewport_size,
        )
        target = scratch.new_page()
        target.goto(page.url)
        target.set_content(page.content())
    try:
        target.add_script_tag(path=str(AXE_JS))
        return target.evaluate(AXE_RUN)["violations"]
    finally:
        if scratch is not None:
            scratch.close()


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page; fail listing what it finds."""
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} problem(s) on {page.url}:\n" + (
        format_violations(violations)
    )
