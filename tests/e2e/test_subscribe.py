"""The subscribe box: its copy button, from a static script (no inline script for the
CSP), and the instructions for each platform with the links they give."""

# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.urls import reverse

from orchestra.models import Instrument
from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import CHROMIUM
from tests.factories import ProgrammeFactory
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    child,
    junior_group,
    municipality,
    season,
    youth_group,
)

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_the_copy_button_copies_the_feed_address(transactional_db, open_page, artifacts):
    programme = ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")
    page = open_page(
        None,
        reverse("events:programme_detail", args=[programme.slug]),
        permissions=["clipboard-read", "clipboard-write"],
    )
    button = page.locator(".subscribe-copy-button")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".subscribe-status")).to_have_text("Address copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(".subscribe-url").input_value()
    assert copied.startswith("http") and programme.slug in copied
    page.screenshot(path=str(artifacts / "subscribe-copy.png"))


@pytest.fixture
def violin(transactional_db):
    """The violin of a data migration: the live server's tests flush the database."""
    Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings", "position": 10}
    )


def test_a_guardian_subscribes_on_each_platform_with_the_right_link(
    violin, open_page, artifacts, guardian, child, live_server
):
    """The guardian makes a named link; the instructions for each platform carry the
    address of that link in the form the platform takes, and that address is a calendar."""
    page = open_page(guardian, reverse("orchestra:calendar"), bypass_csp=True)  # axe is inline
    page.get_by_label("Name of the new link (optional)").fill("Family iPad")
    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_role("heading", name="Your new link: Family iPad")).to_be_visible()
    feed_url = page.locator(".subscribe-url").input_value()
    assert feed_url.startswith(live_server.url + "/calendar/private/")
    assert feed_url.endswith(".ics?lang=en")  # the page is read in English
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]

    page.get_by_text("How to subscribe on your phone or computer").click()
    apple = page.locator(".subscribe-platform-apple a")
    google = page.locator(".subscribe-platform-google a")
    android = page.locator(".subscribe-platform-android a")
    outlook = page.locator(".subscribe-platform-outlook a")
    for link in (apple, google, android, outlook):
        expect(link).to_be_visible()
    assert apple.get_attribute("href") == webcal_url
    assert google.get_attribute("href") == (
        "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url, safe="")
    )
    assert android.get_attribute("href") == feed_url
    assert outlook.get_attribute("href") == feed_url
    expect(page.locator(".subscribe-platform-android")).to_contain_text("turn on Sync")
    assert_no_violations(page, "the guardian's calendar page with a new link")
    page.screenshot(path=str(artifacts / "subscribe-platforms.png"), full_page=True)

    # The address every platform is given answers as a calendar, without a login.
    answer = page.context.request.get(feed_url)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in answer.text()
    cid = parse_qs(urlsplit(google.get_attribute("href")).query)["cid"][0]
    assert cid.replace("webcal://", "http://", 1) == feed_url
