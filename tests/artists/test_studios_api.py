"""The API of exhibitions, works and studios, the GeoJSON of the map and the public list."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artists.models import Studio, StudioHours, Work
from tests.artists.factories import (
    WorkFactory,
    municipality,
    open_studio_weekend,
    studios_at_scale,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "artist", "other_artist", "juror", "project_leader"]


@pytest.fixture
def user_for(request, artist_profile, other_artist):
    def get(role):
        if role == "anonymous":
            return None
        if role == "other_artist":
            return other_artist.user
        return request.getfixturevalue(role)

    return get


@pytest.fixture
def client_for(api_as, user_for):
    return lambda role: api_as(user_for(role))


STUDIO_INPUT = {
    "name": "Verkstedet",
    "address": "Kirkeveien 3",
    "postcode": "3440",
    "place": "Røyken",
    "latitude": 59.75,
    "longitude": 10.4,
    "accessibility": "Stairs to the first floor.",
}


# Reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_studios_with_hours_and_coordinates(
    client_for, role, check_schema, published_studio, edition
):
    body = check_schema(client_for(role).get("/api/v1/studios/", {"edition": edition.pk}))
    (studio,) = body["results"] if isinstance(body, dict) else body
    assert studio["number"] == 1
    assert studio["latitude"] == 59.833
    assert studio["hours"] == [{"date": "2016-09-17", "opens": "11:00:00", "closes": "17:00:00"}]
    assert studio["artists"][0]["name"] == "Mari Maler"


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_geojson(client_for, role, check_schema, published_studio, edition):
    body = check_schema(client_for(role).get("/api/v1/studios/geojson/", {"edition": edition.pk}))
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [10.435, 59.833]}
    properties = feature["properties"]
    assert properties["number"] == 1
    assert properties["artists"][0]["url"].endswith(
        published_studio.artists.get().get_absolute_url()
    )
    assert properties["hours"][0]["opens"] == "11:00:00"


def test_the_geojson_needs_an_edition(api_as):
    assert api_as(None).get("/api/v1/studios/geojson/").status_code == 400
    assert api_as(None).get("/api/v1/studios/geojson/", {"edition": "x"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_exhibitions(client_for, role, check_schema, joint_exhibition, edition):
    body = check_schema(client_for(role).get("/api/v1/exhibitions/", {"edition": edition.pk}))
    (exhibition,) = body["results"] if isinstance(body, dict) else body
    assert exhibition["role"] == "joint"
    assert exhibition["host_municipality"]["number"] == "3203"


# Studios: writing -----------------------------------------------------------------------


def test_an_accepted_artist_registers_their_studio(client_for, check_schema, accepted, edition):
    response = client_for("artist").post(
        "/api/v1/studios/",
        {**STUDIO_INPUT, "edition": edition.pk, "municipality": municipality().pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = check_schema(response)
    assert body["name"] == "Verkstedet"
    assert body["artists"][0]["name"] == "Mari Maler"


@pytest.mark.parametrize(("latitude", "longitude"), [(48.85, 2.35), (59.9, 40.0)])
def test_coordinates_outside_norway_are_a_400(client_for, accepted, edition, latitude, longitude):
    response = client_for("artist").post(
        "/api/v1/studios/",
        {
            **STUDIO_INPUT,
            "latitude": latitude,
            "longitude": longitude,
            "edition": edition.pk,
            "municipality": municipality().pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) & {"latitude", "longitude"}
    assert not Studio.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "juror"])
def test_who_has_no_artist_profile_registers_no_studio(client_for, role, accepted, edition):
    response = client_for(role).post(
        "/api/v1/studios/",
        {**STUDIO_INPUT, "edition": edition.pk, "municipality": municipality().pk},
        format="json",
    )
    assert response.status_code in (401, 403)


def test_a_rejected_artist_registers_no_studio(api_as, accepted, refused_artist, edition):
    response = api_as(refused_artist.user).post(
        "/api/v1/studios/",
        {**STUDIO_INPUT, "edition": edition.pk, "municipality": municipality().pk},
        format="json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 403),
        ("juror", 403),
        ("other_artist", 403),
        ("artist", 200),
        ("project_leader", 200),
    ],
)
def test_only_the_studios_artist_and_staff_change_it(client_for, role, code, published_studio):
    # A published studio: others see it, and may still not change it.
    response = client_for(role).patch(
        f"/api/v1/studios/{published_studio.pk}/",
        {"accessibility": "Ramp at the back."},
        format="json",
    )
    assert response.status_code in ((401, 403) if code == 403 else (code,))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"date": "2016-09-20", "opens": "11:00", "closes": "17:00"}, None),  # a Tuesday
        ({"date": "2016-09-17", "opens": "17:00", "closes": "11:00"}, "closes"),
    ],
)
def test_bad_hours_are_a_400(client_for, studio, values, field):
    response = client_for("artist").post(
        f"/api/v1/studios/{studio.pk}/hours/", values, format="json"
    )
    assert response.status_code == 400
    if field:
        assert field in response.json()
    assert not StudioHours.objects.exists()


def test_hours_on_a_weekend_day_and_closing_a_day(client_for, check_schema, studio):
    client = client_for("artist")
    response = client.post(
        f"/api/v1/studios/{studio.pk}/hours/",
        {"date": "2016-09-25", "opens": "12:00", "closes": "16:00"},
        format="json",
    )
    assert check_schema(response)["hours"][0]["date"] == "2016-09-25"
    response = client.delete(f"/api/v1/studios/{studio.pk}/hours/?date=2016-09-25")
    assert response.status_code == 200
    assert response.json()["hours"] == []


def test_other_artists_set_no_hours(client_for, published_studio):
    response = client_for("other_artist").post(
        f"/api/v1/studios/{published_studio.pk}/hours/",
        {"date": "2016-09-18", "opens": "11:00", "closes": "17:00"},
        format="json",
    )
    assert response.status_code == 403


def test_another_accepted_artist_joins_a_shared_studio(client_for, studio, other_artist):
    response = client_for("other_artist").post(
        f"/api/v1/studios/{studio.pk}/join/", {}, format="json"
    )
    assert response.status_code == 200
    assert {artist["name"] for artist in response.json()["artists"]} == {
        "Mari Maler",
        "Kari Keramiker",
    }


# Works ----------------------------------------------------------------------------------

WORK_INPUT = {"title": "Lys", "year": 2016, "technique": "Oil", "for_sale": True, "price": 9000}


def test_an_accepted_artist_registers_their_work_once(client_for, check_schema, accepted, edition):
    client = client_for("artist")
    response = client.post("/api/v1/works/", {**WORK_INPUT, "edition": edition.pk}, format="json")
    assert response.status_code == 201, response.content
    assert check_schema(response)["price"] == 9000
    again = client.post("/api/v1/works/", {**WORK_INPUT, "edition": edition.pk}, format="json")
    assert again.status_code == 400
    assert Work.objects.count() == 1


def test_a_work_with_an_image_in_multipart(client_for, accepted, edition):
    from tests.artists.factories import image_upload

    response = client_for("artist").post(
        "/api/v1/works/",
        {"title": "Lys", "edition": edition.pk, "image": image_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["thumbnail_url"]


def test_a_rejected_artist_registers_no_work(api_as, accepted, refused_artist, edition):
    response = api_as(refused_artist.user).post(
        "/api/v1/works/", {**WORK_INPUT, "edition": edition.pk}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("anonymous", (401, 403)),
        ("juror", (403,)),
        ("other_artist", (403,)),
        ("artist", (200,)),
        ("project_leader", (200,)),
    ],
)
def test_only_the_artist_and_staff_change_a_work(client_for, role, codes, accepted, edition):
    work = WorkFactory(artist=accepted[0], edition=edition, title="Lys")
    response = client_for(role).patch(
        f"/api/v1/works/{work.pk}/", {"title": "Mørke"}, format="json"
    )
    assert response.status_code in codes


def test_staff_place_the_artist_the_artist_does_not(client_for, accepted, edition):
    work = WorkFactory(artist=accepted[0], edition=edition, title="Lys")
    url = f"/api/v1/works/{work.pk}/"
    assert client_for("artist").patch(url, {"project_room": "12"}, format="json").status_code == 400
    response = client_for("project_leader").patch(url, {"project_room": "12"}, format="json")
    assert response.json()["project_room"] == "12"


def test_staff_register_a_work_for_an_artist(client_for, accepted, edition):
    response = client_for("project_leader").post(
        "/api/v1/works/",
        {**WORK_INPUT, "edition": edition.pk, "artist": accepted[1].pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["artist"]["name"] == "Kari Keramiker"


# Query counts and the public list ---------------------------------------------------------


def queries_for(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/api/v1/studios/geojson/", "/api/v1/studios/", "studio-page"])
def test_the_same_queries_for_5_and_40_studios(
    client, edition, weekends, path, django_assert_max_num_queries
):
    from tests.artists.factories import art_round_call

    def address(period):
        if path == "studio-page":
            return reverse("artists:studios", args=[period.slug]), {}
        return path, {"edition": period.pk}

    studios_at_scale(edition, 5, "few")
    few = queries_for(client, *address(edition))
    later = art_round_call("2017").period
    open_studio_weekend(later)
    studios_at_scale(later, 40, "many")
    target, params = address(later)
    with django_assert_max_num_queries(few):
        response = client.get(target, params)
    assert few <= 6
    if path == "studio-page":
        assert sum(len(studios) for _name, studios in response.context["municipalities"]) == 40
    elif path.endswith("geojson/"):
        assert len(response.json()["features"]) == 40


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("other_artist", False),
        ("juror", False),
        ("artist", True),
        ("project_leader", True),
    ],
)
def test_an_unpublished_studio_is_seen_by_its_artist_and_staff_only(
    client_for, role, sees, studio, edition
):
    body = client_for(role).get("/api/v1/studios/", {"edition": edition.pk}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert bool(results) == sees
    geojson = client_for(role).get("/api/v1/studios/geojson/", {"edition": edition.pk}).json()
    assert geojson["features"] == []


def test_the_public_list_groups_open_studios_by_municipality(client, published_studio, edition):
    response = client.get(reverse("artists:studios", args=[edition.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Atelier Maler" in page and "Mari Maler" in page and "11.00" in page
    ((name, studios),) = response.context["municipalities"]
    assert studios == [published_studio]
    assert client.get("/1999/atelierer/").status_code == 404


def test_the_public_list_leaves_out_unpublished_studios(client, studio, artist_profile, edition):
    from artists.services import studios as services

    services.set_studio_hours(
        studio=studio,
        by=artist_profile.user,
        day=date(2016, 9, 17),
        opens=time(11),
        closes=time(17),
    )
    response = client.get(reverse("artists:studios", args=[edition.slug]))
    assert response.context["municipalities"] == []
