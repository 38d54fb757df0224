"""Browser tests: Debian's chromium, driven by Playwright, against pytest-django's live server.

No browser is downloaded: the tests use /usr/bin/chromium and are skipped without it.
"""

import mimetypes
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client, testcases

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
# The last step of every journey (test_journey_*.py); CI prints the paths at the end of its log.
JOURNEYS = Path(settings.BASE_DIR) / "test-artifacts" / "journeys"
_journey_screenshots: list[Path] = []
PHONE = {"width": 390, "height": 844}
# open_page(..., **DESKTOP) for the pages staff use at a desk.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time (connections stay threaded).

    On SQLite the test database is in memory, and the live server's threads share the
    test's one connection: two requests at once (a page's autosave while its form is
    sent) then mixed their savepoints ("no such savepoint"), a failure of the test set-up,
    not of the site, which gives each request its own connection.
    """

    _one_at_a_time = threading.Lock()

    def set_app(self, application):
        def serialized(environ, start_response):
            with self._one_at_a_time:
                return application(environ, start_response)

        super().set_app(serialized)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    testcases.LiveServerThread.server_class = OneRequestAtATimeServer


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

    Options of the browser context (such as DESKTOP, or permissions) may be given.

    The page collects the script errors it meets; the fixture fails the test if there
    were any.
    """
    contexts = []
    problems = []

    def open_as(user, path, *, browser=browser, **context_options):
        context = browser.new_context(
            **{"viewport": PHONE, "is_mobile": True, "has_touch": True, **context_options}
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


# Journeys: whole paths of real people through the site ---------------------------------


@pytest.fixture
def last_step():
    """Return a function that keeps a screenshot of a journey's last step and says where."""

    def shoot(page, name: str) -> Path:
        JOURNEYS.mkdir(parents=True, exist_ok=True)
        path = JOURNEYS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        _journey_screenshots.append(path)
        print(f"journey screenshot: {path}")
        return path

    return shoot


def pytest_terminal_summary(terminalreporter):
    """List the journeys' screenshots at the end of the run, so that the CI log shows them."""
    if _journey_screenshots:
        terminalreporter.section("journey screenshots")
        for path in _journey_screenshots:
            terminalreporter.write_line(str(path))


def log_in(page, username: str, password: str, hands=None) -> None:
    """Log in through the site's own login form, on the page the browser is at (with the
    keyboard alone when given keyboard ``hands``, tests/e2e/keyboard.py)."""
    if hands is None:
        from tests.e2e.keyboard import Hands

        hands = Hands(page, "pointer")
    hands.fill(page.get_by_label("Username"), username)
    hands.fill(page.get_by_label("Password"), password)
    hands.click(page.get_by_role("button", name="Log in"))


def serve_media(page) -> None:
    """Answer /media/ from MEDIA_ROOT, as the web server in front of Django does in production.

    The live server, like Django without DEBUG, serves static files but no uploads.
    """
    media = Path(settings.MEDIA_ROOT).resolve()

    def fulfill(route):
        relative = route.request.url.split("/" + settings.MEDIA_URL.strip("/") + "/", 1)[1]
        path = (media / relative.split("?", 1)[0]).resolve()
        if media not in path.parents or not path.is_file():
            route.fulfill(status=404, body=b"")
            return
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    page.route(f"**/{settings.MEDIA_URL.strip('/')}/**", fulfill)


@pytest.fixture
def instruments(transactional_db):
    """The violin of a data migration: the live server's tests flush the database."""
    from orchestra.models import Instrument

    Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings", "position": 10}
    )


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def check_on_phone(page, where: str) -> None:
    """The page has its heading, fits a phone's width and passes axe-core."""
    from playwright.sync_api import expect

    from tests.e2e.axe import assert_no_violations

    expect(page.locator("h1")).to_be_visible()
    assert fits_the_phone(page), where
    assert_no_violations(page, where)
