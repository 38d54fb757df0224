"""Browser tests: Debian's chromium, driven by Playwright, against pytest-django's live server.

No browser is downloaded: the tests use /usr/bin/chromium and are skipped without it.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def _async_unsafe_allowed():
    """Let the test thread touch the database while Playwright's event loop runs in it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def open_page(live_server, browser):
    """Return a function that opens a path as a user, on a phone-sized screen, in English.

    The page collects the script errors it meets; the fixture fails the test if there
    were any.
    """
    contexts = []
    problems = []

    def open_as(user, path, *, browser=browser, **context_options):
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, **context_options
        )
        contexts.append(context)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            )
        context.add_cookies(cookies)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and not _expected_console_error(message.text)
                else None
            ),
        )
        page.goto(live_server.url + path)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not problems, problems


def _expected_console_error(text: str) -> bool:
    # Chromium logs every 4xx/5xx answer to fetch; a refused scan is one (404: unknown code).
    return text.startswith("Failed to load resource")
