"""Filters of the open studios: by day open, by municipality and by step-free access, as
GET parameters on the list and the map (and the GeoJSON the map reads), the same set on
each; a bad value is a field error and the other filters still apply."""

import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artists.services import studios as studio_services
from events.models import Municipality
from tests.artists.factories import (
    StudioFactory,
    StudioHoursFactory,
    municipality,
    two_studio_editions,
)
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db

SATURDAY, SUNDAY, NEXT_SATURDAY = date(2016, 9, 17), date(2016, 9, 18), date(2016, 9, 24)
ASKER, BAERUM, DRAMMEN = "3203", "3201", "3301"


def add_studio(edition, name, *, where=ASKER, days=(SATURDAY,), step_free=None, index=0):
    venue = VenueFactory(
        name=name,
        municipality=municipality(where),
        latitude=Decimal("59.80") + Decimal(index) / 100,
        longitude=Decimal("10.40"),
    )
    studio = StudioFactory(edition=edition, venue=venue, step_free=step_free)
    for day in days:
        StudioHoursFactory(studio=studio, date=day, opens=time(11), closes=time(17))
    return studio


@pytest.fixture
def studios(edition, weekends):
    """Four published studios: Asker Saturday (step-free), Asker Sunday (not step-free),
    Bærum both days (step-free not known), Drammen the second Saturday (step-free)."""
    made = {
        "asker_saturday": add_studio(edition, "Asker lørdag", step_free=True),
        "asker_sunday": add_studio(
            edition, "Asker søndag", days=(SUNDAY,), step_free=False, index=1
        ),
        "baerum": add_studio(edition, "Bærum", where=BAERUM, days=(SATURDAY, SUNDAY), index=2),
        "drammen": add_studio(
            edition, "Drammen", where=DRAMMEN, days=(NEXT_SATURDAY,), step_free=True, index=3
        ),
    }
    studio_services.publish_studio_numbers(edition=edition)
    return made


def listed(client, name, edition, **query):
    """Return the response and the ids of the studios that the page lists."""
    response = client.get(reverse(f"artists:{name}", args=[edition.slug]), query)
    assert response.status_code == 200
    html = response.content.decode()
    return response, {
        int(pk) for pk in re.findall(r'<li class="studio" id="(?:listed-)?studio-(\d+)"', html)
    }


def mapped(client, edition, expected_status=200, **query):
    response = client.get("/api/v1/studios/geojson/", {"edition": edition.pk, **query})
    assert response.status_code == expected_status
    if expected_status != 200:
        return response.json()
    return {feature["id"] for feature in response.json()["features"]}


def ids(studios, *names):
    return {studios[name].pk for name in names}


CASES = [
    ({}, ["asker_saturday", "asker_sunday", "baerum", "drammen"]),
    ({"day": "2016-09-17"}, ["asker_saturday", "baerum"]),
    ({"day": "2016-09-18"}, ["asker_sunday", "baerum"]),
    ({"day": "2016-09-24"}, ["drammen"]),
    ({"day": "2016-09-25"}, []),
    ({"municipality": ASKER}, ["asker_saturday", "asker_sunday"]),
    ({"step_free": "on"}, ["asker_saturday", "drammen"]),
    ({"day": "2016-09-17", "step_free": "on"}, ["asker_saturday"]),
    ({"day": "2016-09-18", "municipality": ASKER}, ["asker_sunday"]),
    ({"day": "2016-09-18", "municipality": ASKER, "step_free": "on"}, []),
]


def as_query(query: dict) -> dict:
    if "municipality" in query:
        query = {**query, "municipality": municipality(query["municipality"]).pk}
    return query


@pytest.mark.parametrize(("query", "expected"), CASES)
@pytest.mark.parametrize("name", ["studios", "studio_map"])
def test_each_filter_narrows_the_list_and_the_map(client, studios, edition, name, query, expected):
    response, shown = listed(client, name, edition, **as_query(query))
    assert shown == ids(studios, *expected)
    assert not response.context["filter_form"].errors


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_geojson_has_the_same_studios(client, studios, edition, query, expected):
    assert mapped(client, edition, **as_query(query)) == ids(studios, *expected)


def test_the_map_reads_the_geojson_with_the_same_filters(client, studios, edition):
    query = as_query({"day": "2016-09-17", "municipality": BAERUM, "step_free": "on"})
    response, _shown = listed(client, "studio_map", edition, **query)
    html = response.content.decode()
    geojson = re.search(r'data-geojson="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert geojson == (
        f"/api/v1/studios/geojson/?edition={edition.pk}&day=2016-09-17"
        f"&municipality={query['municipality']}&step_free=on"
    )
    assert client.get(geojson).status_code == 200
    # The list links to the map with the same filters, and the map back to the list.
    list_html = listed(client, "studios", edition, **query)[0].content.decode()
    map_url = reverse("artists:studio_map", args=[edition.slug])
    assert f'href="{map_url}?day=2016-09-17&amp;municipality=' in list_html
    assert f'href="{reverse("artists:studios", args=[edition.slug])}?day=2016-09-17' in html


def test_the_list_leads_to_the_studio_on_the_map(client, studios, edition):
    """The list's map link names a studio by #studio-<pk>, which map.js opens on the map;
    the list beside the map has other ids, so the browser does not scroll past the map."""
    studio = studios["baerum"]
    list_html = listed(client, "studios", edition)[0].content.decode()
    map_url = reverse("artists:studio_map", args=[edition.slug])
    assert f'href="{map_url}#studio-{studio.pk}"' in list_html
    map_html = listed(client, "studio_map", edition)[0].content.decode()
    assert f'id="listed-studio-{studio.pk}"' in map_html
    assert f'id="studio-{studio.pk}"' not in map_html
    assert f'href="{map_url}#studio-' not in map_html


def test_the_filters_are_native_labelled_controls(client, studios, edition):
    html = listed(client, "studios", edition)[0].content.decode()
    assert '<form method="get"' in html
    for name in ("day", "municipality"):
        assert f'<label for="id_{name}">' in html
        assert f'<select name="{name}" id="id_{name}">' in html
    assert '<input type="checkbox" name="step_free" id="id_step_free">' in html
    assert '<label for="id_step_free">' in html
    # The days are the edition's open days; the municipalities those with studios.
    days = re.findall(r'<option value="(2016-[\d-]+)"', html)
    assert days == ["2016-09-17", "2016-09-18", "2016-09-24", "2016-09-25"]
    select = html.split('name="municipality"')[1].split("</select>")[0]
    assert "Asker" in select and "Bærum" in select and "Drammen" in select
    assert select.count("<option") == 4  # "All" and the three


def test_a_filtered_page_says_so_and_keeps_the_choice(client, studios, edition):
    response, _shown = listed(client, "studios", edition, day="2016-09-18")
    html = response.content.decode()
    assert '<details class="filters studio-filters" open>' in html
    assert '<option value="2016-09-18" selected>' in html
    unfiltered = listed(client, "studios", edition)[0].content.decode()
    assert '<details class="filters studio-filters">' in unfiltered


@pytest.mark.parametrize("name", ["studios", "studio_map"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"day": "2016-09-20"}, "day"),  # a Tuesday: not an open day
        ({"day": "tomorrow"}, "day"),
        ({"municipality": "999999"}, "municipality"),
        ({"municipality": "Asker"}, "municipality"),
    ],
)
def test_a_bad_value_is_a_field_error_and_the_other_filters_apply(
    client, studios, edition, name, query, field
):
    response, shown = listed(client, name, edition, step_free="on", **query)
    form = response.context["filter_form"]
    assert list(form.errors) == [field]
    assert shown == ids(studios, "asker_saturday", "drammen")
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert '<details class="filters studio-filters" open>' in html


def test_a_municipality_without_studios_is_refused(client, studios, edition):
    elsewhere = Municipality.objects.exclude(number__in=[ASKER, BAERUM, DRAMMEN]).first()
    response, shown = listed(client, "studios", edition, municipality=elsewhere.pk)
    assert "municipality" in response.context["filter_form"].errors
    assert len(shown) == 4


@pytest.mark.parametrize(
    ("query", "field"), [({"day": "2016-09-20"}, "day"), ({"municipality": "x"}, "municipality")]
)
def test_a_bad_value_is_a_400_in_the_geojson(client, studios, edition, query, field):
    errors = mapped(client, edition, expected_status=400, **query)
    assert list(errors) == [field]


def test_no_studios_match(client, studios, edition):
    html = listed(client, "studios", edition, day="2016-09-25")[0].content.decode()
    assert "Ingen atelierer passer til filteret." in html


def add_many(edition, count: int, prefix: str) -> None:
    for index in range(count):
        add_studio(
            edition,
            f"{prefix} {index}",
            where=[ASKER, BAERUM][index % 2],
            days=(SATURDAY, SUNDAY),
            step_free=True,
            index=index,
        )
    studio_services.publish_studio_numbers(edition=edition)


@pytest.mark.parametrize("name", ["studios", "studio_map", "geojson"])
def test_the_same_queries_for_2_and_10_filtered_studios(
    client, name, django_assert_max_num_queries
):
    few, many = two_studio_editions()
    add_many(few, 2, "few")
    add_many(many, 10, "many")

    def get(edition):
        query = {"day": "2016-09-17", "step_free": "on", "municipality": municipality(ASKER).pk}
        if name == "geojson":
            response = client.get("/api/v1/studios/geojson/", {"edition": edition.pk, **query})
            assert response.status_code == 200
            return len(response.json()["features"])
        return len(listed(client, name, edition, **query)[1])

    with CaptureQueriesContext(connection) as context:
        assert get(few) == 1
    with django_assert_max_num_queries(len(context.captured_queries)):
        assert get(many) == 5


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_api_list_takes_the_same_filters(
    api_as, check_schema, studios, edition, query, expected
):
    query = as_query(query)
    if "step_free" in query:
        query["step_free"] = "true"
    body = check_schema(api_as(None).get("/api/v1/studios/", {"edition": edition.pk, **query}))
    results = body["results"] if isinstance(body, dict) else body
    assert {studio["id"] for studio in results} == ids(studios, *expected)


def test_step_free_false_in_the_api_list_filters_nothing(api_as, studios, edition):
    body = api_as(None).get("/api/v1/studios/", {"edition": edition.pk, "step_free": "false"})
    results = body.json()["results"] if isinstance(body.json(), dict) else body.json()
    assert len(results) == 4


@pytest.mark.parametrize("query", [{"day": "tomorrow"}, {"municipality": "x"}])
def test_a_bad_value_is_a_400_in_the_api_list(api_as, studios, edition, query):
    response = api_as(None).get("/api/v1/studios/", {"edition": edition.pk, **query})
    assert response.status_code == 400
    assert list(response.json()) == list(query)
