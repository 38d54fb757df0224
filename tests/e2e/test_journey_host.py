# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a visitor shows their ticket's QR code at the door; the venue host's scanner
reads it through the phone's camera and says OK, and says "already checked in" when the
same ticket is shown again.

The camera is chromium's fake camera, filming a video made from the QR image that the
ticket's own page shows: the code in view for a second, then out of view for four (the
scanner ignores a code held in view; chromium plays the video in a loop).

With the pointer, and with the keyboard alone (tests/e2e/keyboard.py).
"""

import io

import pytest
from PIL import Image

from tests.e2e.conftest import CHROMIUM
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture
from tests.e2e.test_scanner import camera_video, door, fake_camera_browser  # noqa: F401
from ticketing.models import Checkin

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

# Count what the page's QR decoder reads from the camera (jsQR, the vendored fallback,
# unless the browser has a BarcodeDetector).
COUNT_DECODES = """() => {
  window.decodedCodes = [];
  const jsQR = window.jsQR;
  window.jsQR = (...args) => {
    const found = jsQR(...args);
    if (found) window.decodedCodes.push(found.data);
    return found;
  };
  return "BarcodeDetector" in window;
}"""


def test_a_host_scans_a_ticket_twice_with_the_camera(
    door, open_page, playwright, tmp_path, last_step, live_server, mode
):
    # The ticket holder's phone: the ticket page and its QR image, as the server sends it.
    ticket_page = open_page(None, f"/tickets/{door.kari.secret}/")
    qr = ticket_page.locator("img.ticket-qr")
    expect(qr).to_be_visible()
    answer = ticket_page.request.get(
        ticket_page.url.split("/tickets/")[0] + qr.get_attribute("src")
    )
    assert answer.ok and answer.headers["content-type"] == "image/png"
    video = tmp_path / "ticket-at-the-door.y4m"
    camera_video(video, Image.open(io.BytesIO(answer.body())), shown=10, hidden=40)

    browser = fake_camera_browser(playwright, video)
    try:
        page = open_page(door.host, door.url, browser=browser, permissions=["camera"])
        hands = Hands(page, mode)
        result = page.locator("[data-result]")
        expect(result).to_contain_text("Ready to scan")
        has_barcode_detector = page.evaluate(COUNT_DECODES)
        hands.click(page.get_by_role("button", name="Start camera"))

        expect(result).to_have_attribute("data-state", "ok", timeout=15_000)
        expect(result).to_contain_text("OK")
        expect(result).to_contain_text("Kari Nordmann")
        expect(page.locator('[data-stat="checked_in"]')).to_have_text("1")

        # The code leaves the camera's view and comes back: the same ticket again.
        expect(result).to_have_attribute("data-reason", "already_redeemed", timeout=15_000)
        expect(result).to_have_attribute("data-state", "error")
        expect(result).to_contain_text("Already checked in")
        expect(result).to_contain_text("Kari Nordmann")
        expect(page.locator('[data-stat="checked_in"]')).to_have_text("1")
        history = page.locator("[data-history] li")
        expect(history.first).to_contain_text("Already checked in")
        expect(history.nth(1)).to_contain_text("OK")
        last_step(page, "host-already-checked-in" + hands.suffix)
        hands.click(page.get_by_role("button", name="Stop camera"))

        if not has_barcode_detector:
            decoded = page.evaluate("window.decodedCodes")
            assert decoded and set(decoded) == {door.kari.secret}
        page.context.close()
    finally:
        browser.close()

    scans = Checkin.objects.filter(checkin_list=door.checkin_list).order_by("pk")
    assert [(s.ticket_id, s.successful, s.reason) for s in scans][:2] == [
        (door.kari.pk, True, ""),
        (door.kari.pk, False, "already_redeemed"),
    ]
    assert Checkin.objects.filter(ticket=door.kari, successful=True).count() == 1
