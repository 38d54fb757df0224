# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a visitor scans the QR poster at an open studio, sees the artists there, keeps
two studios as favourites and finds them on the favourites page's list and map; with the
pointer, and with the keyboard alone (tests/e2e/keyboard.py)."""

from datetime import time

import pytest
from django.utils import timezone

from artists.models import Artist, QrVisit, StudioHours
from tests.e2e.conftest import CHROMIUM
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture
from tests.e2e.test_favourites import block_tiles, star, studios  # noqa: F401 -- a fixture

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_a_visitor_scans_a_poster_and_keeps_two_favourites(
    studios, open_page, last_step, live_server, mode
):
    first, second, third = (studios.by_number[number] for number in (1, 2, 3))
    # The visitor stands in the first studio today, which it shares with a guest artist.
    StudioHours.objects.create(
        studio=first, date=timezone.localdate(), opens=time(0), closes=time(23, 59)
    )
    resident = first.artists.get()
    guest = Artist.objects.create(name="Gjest Glassblåser", slug="gjest-glassblaser")
    first.artists.add(guest)

    page = open_page(None, f"/v/{first.code}/")
    hands = Hands(page, mode)
    block_tiles(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(first.venue.name)
    thanks = page.locator(".visit-thanks")
    expect(thanks).to_have_text("Welcome! Your visit is registered. Thank you.")
    artists_here = page.locator(".visit-artists .visit-artist h3")
    expect(artists_here).to_have_text(sorted([resident.name, guest.name]))
    assert QrVisit.objects.filter(studio=first).count() == 1
    nearby = page.locator(".visit-nearby > li")
    expect(nearby).to_have_count(2)
    expect(nearby.nth(0)).to_contain_text(second.venue.name)  # nearest first

    hands.click(page.get_by_role("link", name="All open studios"))
    for studio in (third, first):
        button = star(page, studio)
        hands.click(button)
        expect(button).to_have_attribute("aria-pressed", "true")
    expect(star(page, second)).to_have_attribute("aria-pressed", "false")

    hands.click(page.get_by_role("link", name="My favourites").first)
    favourites = page.locator("#favourite-list > li")
    expect(favourites).to_have_count(2)
    expect(favourites.nth(0)).to_contain_text(first.venue.name)
    expect(favourites.nth(1)).to_contain_text(third.venue.name)
    markers = page.locator("#studio-map .studio-marker")
    # The clustered marker layer keeps no order of its own.
    expect(markers).to_have_count(2)
    assert sorted(markers.all_inner_texts()) == sorted([str(first.number), str(third.number)])
    last_step(page, "visitor-favourites" + hands.suffix)

    # Scanning the same poster again the same day counts no second visit.
    page.goto(f"{live_server.url}/v/{first.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.venue.name)
    expect(thanks).to_have_count(0)
    assert QrVisit.objects.filter(studio=first).count() == 1
