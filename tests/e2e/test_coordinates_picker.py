"""The artist picks the studio's coordinates on the map; the fields follow the marker."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


@pytest.fixture
def accepted_artist(transactional_db, django_user_model):
    from artists.models import Artist
    from core.roles import Role
    from events.models import Municipality
    from tests.artists.factories import art_round_call, decide
    from tests.factories import UserFactory

    Municipality.objects.get_or_create(
        number="3203", defaults={"name": "Asker", "county": "Akershus"}
    )
    call = art_round_call("2016")
    user = UserFactory(username="maler", roles=[Role.ARTIST])
    artist = Artist.objects.create(user=user, name="Mari Maler", slug="mari-maler")
    leader = UserFactory(username="leader", is_staff=True, roles=[Role.PROJECT_LEADER])
    decide(call, {artist: "accepted"}, by=leader)
    return SimpleNamespace(user=user, artist=artist)


def test_a_click_on_the_map_fills_the_coordinates(open_page, accepted_artist, artifacts):
    page = open_page(accepted_artist.user, reverse("artists:own_studio"))
    picker = page.locator("#coordinates-map")
    expect(picker).to_be_visible()
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    expect(latitude).to_have_value("")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(latitude).not_to_have_value("")
    lat, lon = float(latitude.input_value()), float(longitude.input_value())
    # The map opens over the region: the middle of it is near 59.80 N, 10.20 E.
    assert abs(lat - 59.80) < 0.2 and abs(lon - 10.20) < 0.4
    expect(page.locator("#coordinates-map .leaflet-marker-icon")).to_have_count(1)
    page.screenshot(path=str(artifacts / "coordinates-picker.png"))
