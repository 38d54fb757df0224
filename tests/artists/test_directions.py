"""Directions to a studio: a geo: URI for phones and a Google Maps link, built once
(Studio.directions) and shown on the list, the studio's page and in the GeoJSON that the
map and the favourites page read; none without coordinates."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from artists.models import Studio
from events.models import Venue
from tests.artists.factories import make_studio, studio_without_coordinates

pytestmark = pytest.mark.django_db

TRICKY = 'Atelier «Lys» & <Skygge> (nord) "1"'


def test_the_links_carry_the_coordinates_without_trailing_zeros(published_studio):
    directions = published_studio.directions
    assert directions.geo_uri == "geo:59.833,10.435?q=59.833,10.435(Atelier%20Maler)"
    assert directions.web_url == (
        "https://www.google.com/maps/dir/?api=1&destination=59.833,10.435"
    )
    assert directions.label == "Atelier Maler"


def test_the_label_is_percent_encoded_in_the_geo_uri(published_studio):
    Venue.objects.filter(pk=published_studio.venue_id).update(name=TRICKY)
    geo = Studio.objects.get(pk=published_studio.pk).directions.geo_uri
    label = geo.split("(", 1)[1]
    assert label.endswith(")") and label.count(")") == 1
    assert not {"<", ">", "&", '"', " ", "(", "«"} & set(label[:-1])
    assert "%28nord%29" in label


def test_no_directions_without_coordinates(accepted, artist_profile, edition, weekends):
    studio = make_studio(
        artist_profile, edition, by=artist_profile.user, latitude=None, longitude=None
    )
    assert studio.directions is None


def test_the_list_shows_directions_with_the_studios_name(client, published_studio, edition):
    page = client.get(reverse("artists:studios", args=[edition.slug])).content.decode()
    web = html.escape(published_studio.directions.web_url)
    geo = html.escape(published_studio.directions.geo_uri)
    assert (
        f'href="{web}" class="directions-web" rel="external">Veibeskrivelse til Atelier Maler</a>'
        in page
    )
    assert f'href="{geo}" class="directions-geo">' in page


def test_the_studios_name_is_escaped_in_the_list(client, published_studio, edition):
    Venue.objects.filter(pk=published_studio.venue_id).update(name=TRICKY)
    page = client.get(reverse("artists:studios", args=[edition.slug])).content.decode()
    assert "<Skygge>" not in page
    assert "Veibeskrivelse til Atelier «Lys» &amp; &lt;Skygge&gt; (nord) &quot;1&quot;</a>" in page


def test_the_list_has_no_directions_for_a_studio_without_coordinates(
    client, published_studio, edition, other_artist, project_leader
):
    studio_without_coordinates(other_artist, edition, by=project_leader)
    page = client.get(reverse("artists:studios", args=[edition.slug])).content.decode()
    assert "Uten kart" in page
    assert page.count('class="directions-web"') == 1
    assert page.count("Veibeskrivelse til") == 1
    assert "Veibeskrivelse til Uten kart" not in page


def test_the_studios_own_page_shows_directions(client, published_studio):
    page = client.get(reverse("artists:place", args=[published_studio.code])).content.decode()
    assert html.escape(published_studio.directions.web_url) in page
    assert html.escape(published_studio.directions.geo_uri) in page
    assert "Veibeskrivelse til Atelier Maler" in page


def test_the_geojson_carries_the_same_links(client, published_studio, edition):
    body = client.get("/api/v1/studios/geojson/", {"edition": edition.pk}).json()
    (feature,) = body["features"]
    assert feature["properties"]["directions"] == {
        "geo": published_studio.directions.geo_uri,
        "web": published_studio.directions.web_url,
    }


def test_the_card_template_names_the_studio_in_the_links(client, edition):
    page = client.get(reverse("artists:studio_favourites", args=[edition.slug])).content.decode()
    assert 'data-label="Veibeskrivelse til {studio}"' in page
    assert 'data-slot="directions-geo"' in page


@pytest.mark.parametrize(
    ("latitude", "longitude", "point"),
    [
        (Decimal("60.000000"), Decimal("10.500000"), "60,10.5"),
        (Decimal("59.1"), Decimal("5"), "59.1,5"),
    ],
)
def test_round_coordinates(published_studio, latitude, longitude, point):
    Venue.objects.filter(pk=published_studio.venue_id).update(
        latitude=latitude, longitude=longitude
    )
    directions = Studio.objects.get(pk=published_studio.pk).directions
    assert directions.web_url.endswith(f"destination={point}")
    assert directions.geo_uri.startswith(f"geo:{point}?q={point}(")
