"""Planning a day of open studios on a phone: filter the list by a day, star studios, open
the favourites, choose the day and follow the route in order, with directions; the map
shows only the chosen studios and groups those close together. And the route's rule
(route.js) on its own, in the browser.

Map tiles are blocked: the pages must work without tile.openstreetmap.org.
"""

import re
from datetime import date, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse

from artists.models import Artist, Studio, StudioHours
from artists.services import studios as studio_services
from events.models import Event
from tests.e2e.conftest import CHROMIUM, DESKTOP
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, VenueFactory, oslo

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

TILES = "https://tile.openstreetmap.org/**"
SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "studios"
SATURDAY, SUNDAY = "2016-09-17", "2016-09-18"

# name, latitude, longitude, {day: (opens, closes)}, step-free.
# Sentrum and Sør are 130 m apart: one cluster until the map is zoomed in.
STUDIOS = [
    ("Atelier Nord", "59.900", "10.400", {SATURDAY: (11, 17), SUNDAY: (12, 16)}, None),
    ("Atelier Sentrum", "59.800", "10.400", {SATURDAY: (11, 17)}, True),
    ("Atelier Sør", "59.801", "10.401", {SATURDAY: (10, 16), SUNDAY: (11, 15)}, False),
    ("Atelier Vest", "59.850", "10.200", {SUNDAY: (11, 17)}, None),
]


@pytest.fixture
def tour(transactional_db):
    """Four published studios, numbered 1–4 in the order of STUDIOS, on one weekend."""
    edition = PeriodFactory(
        programme=ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest"),
        slug="2016",
        name="Kunst rett vest 2016",
        start=date(2016, 9, 1),
        end=date(2016, 9, 30),
    )
    EventFactory(
        period=edition,
        kind=Event.Kind.OPEN_STUDIO_WEEKEND,
        venue=None,
        start=oslo(2016, 9, 17, 10),
        end=oslo(2016, 9, 18, 17),
    )
    made = {}
    for index, (name, latitude, longitude, days, step_free) in enumerate(STUDIOS):
        venue = VenueFactory(
            name=name,
            # The numbers follow the municipality and then the name: one municipality here.
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
        studio = Studio.objects.create(edition=edition, venue=venue, step_free=step_free)
        studio.artists.add(Artist.objects.create(name=f"Kunstner {index}", slug=f"k-{index}"))
        for day, (opens, closes) in days.items():
            StudioHours.objects.create(
                studio=studio, date=date.fromisoformat(day), opens=time(opens), closes=time(closes)
            )
        made[name.split()[-1].lower()] = studio
    venue_municipality = made["nord"].venue.municipality
    for studio in made.values():
        studio.venue.municipality = venue_municipality
        studio.venue.save(update_fields=["municipality"])
    studio_services.publish_studio_numbers(edition=edition)
    for studio in made.values():
        studio.refresh_from_db()
    return SimpleNamespace(edition=edition, **made)


def block_tiles(page):
    page.route(TILES, lambda route: route.fulfill(status=204, body=b""))


def shoot(page, name: str) -> None:
    """Keep a screenshot of the whole page, as the phone or the desk shows it.

    Chromium's full-page capture drops the touch emulation (the phone's geo: links
    vanish): the viewport is made as tall as the page instead, for the moment.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")
    page.set_viewport_size(size)


def star(page, studio):
    return page.locator(f'#studio-{studio.pk} .favourite-toggle[data-studio="{studio.pk}"]')


def marker_texts(page) -> list[str]:
    return sorted(page.locator("#studio-map .studio-marker").all_inner_texts())


def cluster_texts(page) -> list[str]:
    return sorted(
        text.split()[0] for text in page.locator("#studio-map .studio-cluster").all_inner_texts()
    )


def test_a_visitor_plans_sunday_on_a_phone(tour, open_page):
    edition = tour.edition
    page = open_page(None, reverse("artists:studios", args=[edition.slug]))
    block_tiles(page)

    # Filter the list by Sunday: a URL of its own, three studios.
    page.locator("details.studio-filters summary").click()
    page.get_by_label("Open on").select_option(SUNDAY)
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/atelierer/\?day={SUNDAY}"))
    studios = page.locator("li.studio")
    expect(studios).to_have_count(3)
    expect(page.locator(f"#studio-{tour.sentrum.pk}")).to_have_count(0)
    shoot(page, "list-sunday-390")

    # Star two studios open on Sunday, and (on the whole list) one that is not.
    for studio in (tour.nord, tour.sør):
        star(page, studio).click()
        expect(star(page, studio)).to_have_attribute("aria-pressed", "true")
    page.goto(page.url.split("?")[0])
    star(page, tour.sentrum).click()
    expect(star(page, tour.sentrum)).to_have_attribute("aria-pressed", "true")

    # The favourites page, for Sunday: Sør opens at 11, Nord at 12.
    page.goto(page.url.split("/atelierer/")[0] + "/atelierer/favoritter/")
    page.get_by_label("Plan a route for").select_option(SUNDAY)
    expect(page).to_have_url(f"{page.url.split('?')[0]}?day={SUNDAY}")
    route = page.locator("#favourite-list > li")
    expect(route).to_have_count(2)
    expect(route.nth(0)).to_contain_text("Atelier Sør")
    expect(route.nth(0)).to_contain_text("11:00–15:00")
    expect(route.nth(1)).to_contain_text("Atelier Nord")
    expect(route.nth(1)).to_contain_text("12:00–16:00")
    expect(route.nth(1)).not_to_contain_text("11:00–17:00")  # Saturday's hours are left out
    directions = route.nth(0).get_by_role("link", name="Directions to Atelier Sør")
    expect(directions).to_have_attribute(
        "href", "https://www.google.com/maps/dir/?api=1&destination=59.801,10.401"
    )
    expect(route.nth(0).locator("a.directions-geo")).to_have_attribute(
        "href", "geo:59.801,10.401?q=59.801,10.401(Atelier%20S%C3%B8r)"
    )
    expect(route.nth(0).locator("a.directions-geo")).to_be_visible()  # a phone
    closed = page.locator("#favourite-closed > li")
    expect(closed).to_have_count(1)
    expect(closed.nth(0)).to_contain_text("Atelier Sentrum")
    expect(page.locator("#closed-heading")).to_be_visible()

    # The map shows the route only: Sør (3) and Nord (1), 11 km apart, not Sentrum.
    expect(page.locator("#studio-map .studio-marker")).to_have_count(2)
    assert marker_texts(page) == sorted([str(tour.nord.number), str(tour.sør.number)])
    shoot(page, "favourites-sunday-390")

    # Saturday: Sør opens at 10, then Sentrum (130 m away) before Nord, both at 11.
    page.get_by_label("Plan a route for").select_option(SATURDAY)
    expect(route).to_have_count(3)
    names = [route.nth(index).locator("[data-slot=name]").inner_text() for index in range(3)]
    assert names == ["Atelier Sør", "Atelier Sentrum", "Atelier Nord"]
    expect(page.locator("#favourite-closed > li")).to_have_count(0)
    expect(page.locator("#favourites-closed")).to_be_hidden()
    # Sentrum and Sør share one cluster at the zoom that shows the whole route.
    expect(page.locator("#studio-map .studio-cluster")).to_have_count(1)
    assert cluster_texts(page) == ["2"]
    assert marker_texts(page) == [str(tour.nord.number)]
    shoot(page, "favourites-saturday-390")

    # Opening the cluster zooms in until the two studios part.
    page.locator("#studio-map .studio-cluster").click()
    expect(page.locator("#studio-map .studio-cluster")).to_have_count(0)
    expect(page.locator("#studio-map .studio-marker")).to_have_count(2)
    assert marker_texts(page) == sorted([str(tour.sentrum.number), str(tour.sør.number)])


def test_the_map_groups_close_studios_and_lists_them_beside_it(tour, open_page):
    edition = tour.edition
    page = open_page(None, reverse("artists:studio_map", args=[edition.slug]))
    block_tiles(page)
    page.reload()
    # Four studios: Sentrum and Sør in one cluster at the zoom that shows them all.
    expect(page.locator("#studio-map .studio-cluster")).to_have_count(1)
    assert cluster_texts(page) == ["2"]
    assert marker_texts(page) == sorted([str(tour.nord.number), str(tour.vest.number)])
    cluster = page.locator("#studio-map .studio-cluster")
    expect(cluster).to_have_attribute("role", "button")
    expect(page.get_by_role("button", name=f"{tour.vest.number} Atelier Vest")).to_be_visible()
    expect(cluster).to_contain_text("2 studios close together")
    # The list beside the map: every studio, with its directions.
    expect(page.locator(".studio-map-list li.studio")).to_have_count(4)
    expect(
        page.locator(".studio-map-list").get_by_role("link", name="Directions to Atelier Vest")
    ).to_be_visible()
    shoot(page, "map-390")

    # Filtered by step-free access, the map and the list show Sentrum only.
    page.locator("details.studio-filters summary").click()
    page.get_by_label("Only studios with step-free access").check()
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".studio-map-list li.studio")).to_have_count(1)
    expect(page.locator("#studio-map .studio-marker")).to_have_count(1)
    assert marker_texts(page) == [str(tour.sentrum.number)]
    expect(page.locator(".studio-map-list")).to_contain_text("Step-free access")


def test_the_pages_at_a_desk(tour, open_page):
    edition = tour.edition
    page = open_page(None, reverse("artists:studios", args=[edition.slug]), **DESKTOP)
    block_tiles(page)
    for studio in (tour.nord, tour.sentrum, tour.sør):
        star(page, studio).click()
    # No geo: link on a computer with a mouse: it would open nothing there.
    expect(page.locator(f"#studio-{tour.nord.pk} a.directions-geo")).to_be_hidden()
    expect(page.locator(f"#studio-{tour.nord.pk} a.directions-web")).to_be_visible()
    shoot(page, "list-1280")
    page.goto(page.url.split("/atelierer/")[0] + f"/atelierer/kart/?day={SATURDAY}")
    expect(page.locator(".studio-map-list li.studio")).to_have_count(3)
    expect(page.locator("#studio-map .leaflet-marker-icon")).not_to_have_count(0)
    # Side by side: the list starts beside the map, not below it.
    map_box = page.locator("#studio-map").bounding_box()
    list_box = page.locator(".studio-map-list").bounding_box()
    assert list_box["x"] > map_box["x"] + map_box["width"] - 1
    assert list_box["y"] < map_box["y"] + map_box["height"]
    shoot(page, "map-1280")
    page.goto(page.url.split("/atelierer/")[0] + f"/atelierer/favoritter/?day={SATURDAY}")
    expect(page.locator("#favourite-list > li")).to_have_count(3)
    shoot(page, "favourites-1280")


def feature(pk, number, latitude, longitude, hours):
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {
            "number": number,
            "hours": [
                {"date": day, "opens": opens, "closes": "18:00:00"} for day, opens in hours.items()
            ],
        },
    }


ROUTE_CASES = [
    # Everyone opens at 11: the lowest number starts, then nearest neighbour.
    (
        [
            feature(1, 1, 59.80, 10.40, {SATURDAY: "11:00:00"}),
            feature(2, 2, 59.90, 10.40, {SATURDAY: "11:00:00"}),
            feature(3, 3, 59.81, 10.40, {SATURDAY: "11:00:00"}),
        ],
        [1, 3, 2],
        [],
    ),
    # The earliest opening starts however far it is; a later one waits.
    (
        [
            feature(1, 1, 59.80, 10.40, {SATURDAY: "11:00:00"}),
            feature(2, 2, 59.80, 10.41, {SATURDAY: "13:00:00"}),
            feature(3, 3, 60.50, 10.40, {SATURDAY: "10:00:00"}),
            feature(4, 4, 60.40, 10.40, {SATURDAY: "11:00:00"}),
        ],
        [3, 4, 1, 2],
        [],
    ),
    # Closed that day: apart, in number order; a studio without a number last.
    (
        [
            feature(5, None, 59.80, 10.40, {SUNDAY: "11:00:00"}),
            feature(6, 2, 59.80, 10.40, {SATURDAY: "12:00:00"}),
            feature(7, 1, 59.80, 10.40, {SUNDAY: "11:00:00"}),
        ],
        [6],
        [7, 5],
    ),
]


@pytest.mark.parametrize(("features", "route", "closed"), ROUTE_CASES)
def test_the_routes_rule(tour, open_page, features, route, closed):
    page = open_page(None, reverse("artists:studio_favourites", args=[tour.edition.slug]))
    block_tiles(page)
    plan = page.evaluate(
        """([features, day]) => {
            const plan = window.KulturvestRoute.plan(features, day);
            return {
                route: plan.route.map((stop) => stop.feature.id),
                hours: plan.route.map((stop) => stop.hours.date),
                closed: plan.closed.map((feature) => feature.id),
            };
        }""",
        [features, SATURDAY],
    )
    assert plan == {"route": route, "hours": [SATURDAY] * len(route), "closed": closed}


def test_the_distance_is_great_circle_metres(tour, open_page):
    page = open_page(None, reverse("artists:studio_favourites", args=[tour.edition.slug]))
    metres = page.evaluate(
        """([a, b]) => window.KulturvestRoute.distance(a, b)""",
        [feature(1, 1, 59.80, 10.40, {}), feature(2, 2, 59.90, 10.40, {})],
    )
    assert 11100 < metres < 11150  # 0.1° of latitude
