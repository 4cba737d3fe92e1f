"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Live-server tests run on a transactional database that is flushed after each test, so
every test loads the five policies again first. Chromium starts once per module; each
test gets a fresh context (cookies, language) and page.
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from catalogue.loading import policies_load

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Set BROWSER_SCREENSHOTS=/tmp/portal-shots to keep a screenshot of each page a test looks at.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an asyncio loop marked as running in this thread, so Django
    # would refuse the ORM calls of the fixtures (loading, flushing) as if made from async code.
    # Allowed only while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def policies(transactional_db):
    policies_load()


@pytest.fixture
def new_page(browser, live_server, policies):
    """Open a page in a fresh browser context; keyword arguments go to browser.new_context."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name"): saved only when BROWSER_SCREENSHOTS names a directory (never the repository)."""

    def take(page, name):
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{request.node.name}-{name}-{worker}.png"), full_page=True)

    return take
