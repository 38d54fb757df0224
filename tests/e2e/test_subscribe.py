"""The subscribe box's copy button, from a static script (no inline script for the CSP)."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM
from tests.factories import ProgrammeFactory

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
