"""The statistics charts and the studio map have text alternatives (WCAG 1.1.1): each chart
is an image with a name beside the table of its figures, and the map's studios are all on
the list of studios the map links to. Listed in core.accessibility.CHECKS."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.permissions.world import build_world

SECTION = re.compile(r"<section class=\"stats-section\".*?</section>", re.DOTALL)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _get(user, url) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("page", ["statistics", "edition_statistics"])
def test_every_chart_is_named_and_has_its_table(world, page):
    args = [world.objects.edition.slug] if page == "edition_statistics" else []
    html = _get(world.users["project_leader"], reverse(f"artists:{page}", args=args))
    charts = 0
    for section in SECTION.findall(html):
        if "<svg" not in section:
            continue
        charts += 1
        svg = section[section.index("<svg") : section.index(">", section.index("<svg"))]
        assert 'role="img"' in svg and "aria-labelledby=" in svg, svg
        assert "<table" in section and "<th" in section, "a chart without its table"
    assert charts, f"no chart on {page}: the test would prove nothing"


def test_every_studio_on_the_map_is_on_the_list_it_links_to(world):
    edition = world.objects.edition
    visitor = world.users["visitor"]
    map_page = _get(visitor, reverse("artists:studio_map", args=[edition.slug]))
    list_url = reverse("artists:studios", args=[edition.slug])
    assert f'href="{list_url}"' in map_page
    geojson = re.search(r'data-geojson="([^"]+)"', map_page).group(1).replace("&amp;", "&")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    features = json.loads(client.get(geojson).content)["features"]
    assert features, "no studio on the map: the test would prove nothing"
    listed = _get(visitor, list_url)
    for feature in features:
        name = feature["properties"].get("name") or feature["properties"].get("title")
        assert name and name in listed, f"{name} is on the map, not on the list"
