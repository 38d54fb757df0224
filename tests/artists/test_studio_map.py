"""The map of the open studios, the favourites page and the links from the studio list."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.artists.factories import (
    studio_without_coordinates,
    studios_at_scale,
    two_studio_editions,
)

pytestmark = pytest.mark.django_db

ROLES = [None, "admin_user", "project_leader", "juror", "artist", "venue_host", "guardian"]
ROLES += ["tutor", "nobody"]


def get(client, name, edition):
    response = client.get(reverse(f"artists:{name}", args=[edition.slug]))
    assert response.status_code == 200
    return response.content.decode()


def inline_scripts(html: str) -> list[str]:
    return [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attributes
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["studio_map", "studio_favourites"])
def test_everyone_sees_the_map_and_favourites_pages(client, request, role, name, edition):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    html = get(client, name, edition)
    assert f'data-geojson="/api/v1/studios/geojson/?edition={edition.pk}"' in html
    assert f'data-favourites="{edition.slug}"' in html


def test_the_map_page_loads_leaflet_from_our_static_files(client, edition):
    html = get(client, "studio_map", edition)
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "/static/vendor/leaflet-1.9.4/leaflet.css" in html
    assert "/static/artists/map.js" in html and "/static/artists/favourites.js" in html
    assert 'data-mode="all"' in html
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "openstreetmap.org/copyright" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_the_vendored_leaflet_and_its_licence_are_there():
    for name in ("leaflet.js", "leaflet.css", "images/marker-icon.png", "LICENSE"):
        assert finders.find(f"vendor/leaflet-1.9.4/{name}"), name
    with open(finders.find("vendor/leaflet-1.9.4/LICENSE"), encoding="utf-8") as licence:
        assert "BSD 2-Clause" in licence.read()


@pytest.mark.parametrize("name", ["studio_map", "studio_favourites", "studios"])
def test_our_scripts_are_files_not_inline(client, name, published_studio, edition):
    """A strict CSP comes later: the map and the favourites need no inline script.

    The subscribe box of events (events/templates/events/_subscribe.html) still has one, for its
    copy button only; the pages work without it.
    """
    html = get(client, name, edition)
    assert all("subscribe-url" in script for script in inline_scripts(html))
    assert " onclick=" not in html
    for script in ("artists/map.js", "artists/favourites.js", "artists/favourites-page.js"):
        assert finders.find(script), script


def test_the_favourites_page_says_they_stay_on_this_device(client, edition):
    html = get(client, "studio_favourites", edition)
    assert "this device" in html or "denne enheten" in html
    assert 'data-mode="favourites"' in html
    assert 'id="favourite-list"' in html and 'id="studio-card-template"' in html
    assert "/static/artists/favourites-page.js" in html


def test_the_studio_list_has_a_star_per_studio_on_the_map(
    client, published_studio, edition, other_artist, project_leader
):
    studio_without_coordinates(other_artist, edition, by=project_leader)
    html = get(client, "studios", edition)
    # Favourites are shown from the GeoJSON, which carries only studios with coordinates.
    assert re.findall(r'class="favourite-toggle" data-studio="(\d+)"', html) == [
        str(published_studio.pk)
    ]
    assert f'data-favourites="{edition.slug}"' in html
    assert "/static/artists/favourites.js" in html
    map_url = reverse("artists:studio_map", args=[edition.slug])
    assert f'href="{map_url}#studio-{published_studio.pk}"' in html


def test_the_star_and_the_geojson_name_the_same_studio(client, published_studio, edition):
    html = get(client, "studios", edition)
    (star,) = re.findall(r'class="favourite-toggle" data-studio="(\d+)"', html)
    geojson = client.get("/api/v1/studios/geojson/", {"edition": edition.pk}).json()
    assert [feature["id"] for feature in geojson["features"]] == [int(star)]
    assert geojson["features"][0]["properties"]["number"] == published_studio.number


@pytest.mark.parametrize("name", ["studios", "studio_map"])
def test_subscribe_links_to_the_studio_feed(client, published_studio, name, edition):
    html = get(client, name, edition)
    feed = reverse("artists:studio_feed", args=[edition.slug])
    assert f'href="webcal://testserver{feed}"' in html
    assert "calendar.google.com" in html
    assert f'value="http://testserver{feed}"' in html
    assert client.get(feed).status_code == 200


def test_the_list_links_each_studios_calendar(client, published_studio, edition):
    html = get(client, "studios", edition)
    assert reverse("artists:studio_calendar", args=[edition.slug, published_studio.pk]) in html


@pytest.mark.parametrize(
    ("name", "links"),
    [
        ("studios", ["studio_map", "studio_favourites", "exhibitions", "catalogue"]),
        ("studio_map", ["studios", "studio_favourites", "exhibitions", "catalogue"]),
        ("studio_favourites", ["studios", "studio_map", "exhibitions", "catalogue"]),
        ("exhibitions", ["studios", "studio_map", "studio_favourites", "catalogue"]),
        ("catalogue", ["studios", "studio_map", "studio_favourites", "exhibitions"]),
    ],
)
def test_the_pages_link_to_each_other(client, published_studio, name, links, edition):
    html = get(client, name, edition)
    for link in links:
        assert f'href="{reverse(f"artists:{link}", args=[edition.slug])}"' in html, link


def test_english_addresses(client, edition):
    assert client.get(f"/{edition.slug}/studios/map/").status_code == 200
    assert client.get(f"/{edition.slug}/studios/favourites/").status_code == 200


@pytest.mark.parametrize("name", ["studios", "studio_map", "studio_favourites"])
def test_the_same_queries_for_3_and_30_studios(client, name, django_assert_max_num_queries):
    few, many = two_studio_editions()
    studios_at_scale(few, 3, "few")
    studios_at_scale(many, 30, "many")
    with CaptureQueriesContext(connection) as context:
        get(client, name, few)
    with django_assert_max_num_queries(len(context.captured_queries)):
        html = get(client, name, many)
    if name == "studios":
        assert html.count('class="favourite-toggle"') == 30
    assert len(context.captured_queries) <= 6
