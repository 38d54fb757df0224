# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Keyboard and zoom: the skip link, and the two pages used standing up with a phone or a
tablet at the door (the ticket scanner, the visitor counter) at 200 % zoom: no sideways
scrolling, every button at least MIN_TARGET_PX square, the main action by keyboard.

200 % zoom of a 1280 × 900 window is a page laid out in 640 × 450 CSS pixels, each drawn
as 2 × 2 device pixels: a browser context of that viewport with device_scale_factor 2.
"""

import pytest
from django.urls import reverse

from core.accessibility import MIN_TARGET_PX
from tests.artists import conftest as artist_fixtures
from tests.artists.conftest import (  # noqa: F401 -- fixtures
    accepted,
    asker_after_flush,
    edition,
    edition_call,
    open_studio,
    refused_artist,
    studio,
    weekends,
)
from tests.e2e.conftest import CHROMIUM
from tests.e2e.keyboard import Hands
from tests.e2e.test_scanner import door  # noqa: F401 -- a fixture

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

ZOOM_200 = {
    "viewport": {"width": 640, "height": 450},
    "device_scale_factor": 2,
    "is_mobile": False,
    "has_touch": False,
}
artist_profile = artist_fixtures.artist_profile
other_artist = artist_fixtures.other_artist
# The live server's tests flush the database, data migrations' rows too.
pytestmark = pytest.mark.usefixtures("asker_after_flush")

SMALL_TARGETS = """(min) => [...document.querySelectorAll(
  "main button, main input[type=submit], main input[type=button], main [role=button]"
)].filter((el) => el.offsetParent !== null)
  .map((el) => [el.getBoundingClientRect(), el.outerHTML.slice(0, 100)])
  .filter(([box]) => box.width < min || box.height < min)
  .map(([box, html]) => `${Math.round(box.width)}x${Math.round(box.height)} ${html}`)"""

PAST_THE_MENU = """() => {
  const main = document.getElementById("main");
  const active = document.activeElement;
  return main.contains(active)
    || Boolean(main.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""

SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def assert_usable_at_200_percent(page) -> None:
    assert not page.evaluate(SCROLLS_SIDEWAYS), (
        "the page scrolls sideways at 200 % zoom: "
        + str(page.evaluate("() => document.documentElement.scrollWidth"))
        + " CSS px wide in a 640 px window"
    )
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET_PX)
    assert not small, f"buttons smaller than {MIN_TARGET_PX} px at 200 % zoom:\n  " + "\n  ".join(
        small
    )


@pytest.mark.parametrize("path", ["/", "/events/"])
def test_the_skip_link_moves_focus_to_the_main_content(transactional_db, open_page, path):
    page = open_page(None, path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10 and box["y"] >= 0, (
        f"the skip link is not shown when it has the focus: {box}"
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('#')[0].rstrip('#')}#main")
    # The next Tab goes on from the main content, past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate(PAST_THE_MENU), page.evaluate(
        "() => document.activeElement.outerHTML.slice(0, 120)"
    )


def test_the_scanner_at_200_percent_zoom(door, open_page):
    page = open_page(door.host, door.url, **ZOOM_200)
    expect(page.get_by_role("heading", name="Hoveddør")).to_be_visible()
    assert_usable_at_200_percent(page)

    hands = Hands(page, "keyboard")
    hands.fill(page.get_by_label("Ticket code"), door.kari.secret)
    page.keyboard.press("Enter")
    result = page.locator("[data-result]")
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_contain_text("Kari Nordmann")
    hands.check(page.get_by_role("radio", name="Exit"))
    hands.fill(page.get_by_label("Ticket code"), door.kari.secret)
    page.keyboard.press("Enter")
    expect(result).to_have_attribute("data-mode", "exit")
    expect(page.locator('[data-stat="inside"]')).to_have_text("0")
    assert_usable_at_200_percent(page)


def test_the_counter_at_200_percent_zoom(open_page, open_studio):
    page = open_page(
        open_studio.artists.get().user,
        reverse("artists:tally_studio", args=[open_studio.pk]),
        **ZOOM_200,
    )
    total = page.locator("[data-total]")
    expect(total).to_have_text("0")
    assert_usable_at_200_percent(page)

    hands = Hands(page, "keyboard")
    hands.click(page.get_by_role("button", name="+1", exact=True))
    expect(total).to_have_text("1")
    hands.check(page.get_by_label("Guided group"))
    hands.fill(page.get_by_label("Number in the group"), "5")
    hands.click(page.get_by_role("button", name="+N", exact=True))
    expect(total).to_have_text("6")
    assert_usable_at_200_percent(page)


# The keyboard hands of the journeys can fail: a page without a focus mark, and a trap.

NO_FOCUS_MARK = """<!doctype html><html lang="en"><body>
<style>a:focus, button:focus { outline: none; }</style>
<a href="#one">One</a> <button type="button">Two</button></body></html>"""

TRAP = """<!doctype html><html lang="en"><body>
<input aria-label="Trapped" id="trap" autofocus> <a href="#out">Out</a>
<script>document.getElementById("trap").addEventListener("keydown", (event) => {
  if (event.key === "Tab") event.preventDefault();
});</script></body></html>"""


def test_the_keyboard_hands_fail_without_a_focus_mark(browser):
    page = browser.new_page()
    page.set_content(NO_FOCUS_MARK)
    with pytest.raises(AssertionError, match="no visible focus"):
        Hands(page, "keyboard").click(page.get_by_role("button", name="Two"))
    page.close()


def test_the_keyboard_hands_fail_in_a_trap(browser):
    page = browser.new_page()
    page.set_content(TRAP)
    page.get_by_label("Trapped").focus()
    with pytest.raises(AssertionError, match="a trap, or not reachable"):
        Hands(page, "keyboard").click(page.get_by_role("link", name="Out"))
    page.close()
