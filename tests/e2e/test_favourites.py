"""Favourite studios in a real browser: starred in the list, kept in localStorage, shown
in number order on the favourites page and as markers on its map.

Map tiles are blocked: the test must not depend on tile.openstreetmap.org.
"""

from datetime import date, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from artists.models import Artist, Studio, StudioHours
from artists.services import studios as studio_services
from tests.e2e.conftest import CHROMIUM
from tests.factories import PeriodFactory, ProgrammeFactory, VenueFactory

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

TILES = "https://tile.openstreetmap.org/**"


@pytest.fixture
def studios(transactional_db):
    """Three published studios with coordinates and hours: numbers 1, 2 and 3."""
    edition = PeriodFactory(
        programme=ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest"),
        slug="2016",
        name="Kunst rett vest 2016",
        start=date(2016, 9, 1),
        end=date(2016, 9, 30),
    )
    made = []
    for number, name in enumerate(["Atelier Nord", "Verkstedet", "Glasshytta"]):
        artist = Artist.objects.create(name=f"Kunstner {number + 1}", slug=f"kunstner-{number}")
        venue = VenueFactory(
            name=name,
            latitude=Decimal("59.80") + Decimal(number) / 100,
            longitude=Decimal("10.40") + Decimal(number) / 100,
        )
        studio = Studio.objects.create(edition=edition, venue=venue)
        studio.artists.add(artist)
        StudioHours.objects.create(
            studio=studio, date=date(2016, 9, 17), opens=time(11), closes=time(17)
        )
        made.append(studio)
    studio_services.publish_studio_numbers(edition=edition)
    for studio in made:
        studio.refresh_from_db()
    return SimpleNamespace(edition=edition, by_number={studio.number: studio for studio in made})


def block_tiles(page):
    page.route(TILES, lambda route: route.fulfill(status=204, body=b""))


def until_still(locator, *, checks=3, interval_ms=100):
    """Wait until the element has not moved for ``checks`` readings in a row.

    An opening popup pans the map into view (Leaflet's autoPan); a click while it moves
    presses the button at one place and releases it at another, which is no click.
    Playwright's own check (two animation frames) misses a pan that starts later on a
    loaded machine.
    """
    page = locator.page
    boxes = [locator.bounding_box()]
    for _ in range(50):
        page.wait_for_timeout(interval_ms)
        boxes.append(locator.bounding_box())
        if len(boxes) > checks and all(box == boxes[-1] for box in boxes[-checks - 1 :]):
            return
    raise AssertionError(f"the element kept moving: {boxes[-3:]}")


def star(page, studio):
    return page.locator(f'#studio-{studio.pk} .favourite-toggle[data-studio="{studio.pk}"]')


def test_a_visitor_keeps_two_favourites_and_sees_them_in_order(studios, open_page, artifacts):
    edition = studios.edition
    first, third = studios.by_number[1], studios.by_number[3]
    page = open_page(None, reverse("artists:studios", args=[edition.slug]))
    block_tiles(page)

    # Mark the third studio first: the favourites page still shows them in number order.
    for studio in (third, first):
        button = star(page, studio)
        expect(button).to_be_visible()
        expect(button).to_have_attribute("aria-pressed", "false")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    expect(star(page, studios.by_number[2])).to_have_attribute("aria-pressed", "false")
    page.screenshot(path=artifacts / "favourites-list.png", full_page=True)

    page.goto(page.url.split("/atelierer/")[0] + "/atelierer/favoritter/")
    favourites = page.locator("#favourite-list > li")
    expect(favourites).to_have_count(2)
    expect(favourites.nth(0)).to_contain_text(first.venue.name)
    expect(favourites.nth(1)).to_contain_text(third.venue.name)
    expect(favourites.nth(0).locator(".studio-number")).to_have_text(str(first.number))
    expect(favourites.nth(1).locator(".studio-number")).to_have_text(str(third.number))
    expect(page.locator("#favourites-empty")).to_be_hidden()

    markers = page.locator("#studio-map .studio-marker")
    expect(markers).to_have_count(2)
    # The marker layer (leaflet.markercluster) keeps no order of its own.
    assert sorted(markers.all_inner_texts()) == sorted([str(first.number), str(third.number)])
    page.screenshot(path=artifacts / "favourites-page.png", full_page=True)

    # Taking one away on the favourites page updates the list and the map.
    favourites.nth(0).locator(".favourite-toggle").click()
    expect(favourites).to_have_count(1)
    expect(favourites.nth(0)).to_contain_text(third.venue.name)
    expect(markers).to_have_count(1)
    expect(markers.nth(0)).to_have_text(str(third.number))


def test_no_favourites_yet(studios, open_page):
    page = open_page(None, reverse("artists:studio_favourites", args=[studios.edition.slug]))
    expect(page.locator("#favourites-empty")).to_be_visible()
    expect(page.locator("#favourite-list > li")).to_have_count(0)
    expect(page.locator("#studio-map")).to_be_hidden()


def test_the_map_shows_every_studio_and_stars_in_the_popup(studios, open_page):
    edition = studios.edition
    page = open_page(None, reverse("artists:studios", args=[edition.slug]))
    block_tiles(page)
    page.goto(page.url.split("/atelierer/")[0] + "/atelierer/kart/")
    markers = page.locator("#studio-map .studio-marker")
    expect(markers).to_have_count(3)
    second = studios.by_number[2]
    markers.nth(1).click()
    popup = page.locator(".leaflet-popup-content .studio-card")
    expect(popup).to_contain_text(second.venue.name)
    expect(popup).to_contain_text(second.artists.get().name)
    button = popup.locator(".favourite-toggle")
    expect(button).to_have_attribute("aria-pressed", "false")
    until_still(button)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.goto(page.url.split("/atelierer/")[0] + "/atelierer/favoritter/")
    expect(page.locator("#favourite-list > li")).to_have_count(1)
    expect(page.locator("#favourite-list")).to_contain_text(second.venue.name)
