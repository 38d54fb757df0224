"""Staff set up exhibitions and their opening hours through the API; no one else does."""

import pytest

from artists.models import Exhibition
from events.models import Event
from tests.artists.factories import municipality
from tests.factories import EventFactory, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_event(edition):
    return EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Fengslet",
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )


def local_input(event) -> dict:
    return {
        "event": event.pk,
        "role": "local",
        "organising_municipalities": [municipality("3305").pk, municipality("3310").pk],
    }


def test_staff_set_up_a_local_exhibition(api_as, project_leader, local_event, check_schema):
    response = api_as(project_leader).post(
        "/api/v1/exhibitions/", local_input(local_event), format="json"
    )
    assert response.status_code == 201, response.content
    body = check_schema(response)
    assert {m["number"] for m in body["organising_municipalities"]} == {"3305", "3310"}


@pytest.mark.parametrize("user", [None, "artist", "juror"])
def test_no_one_else_sets_up_exhibitions(api_as, request, user, local_event):
    client = api_as(request.getfixturevalue(user) if user else None)
    response = client.post("/api/v1/exhibitions/", local_input(local_event), format="json")
    assert response.status_code in (401, 403)
    assert not Exhibition.objects.exists()


def test_a_second_joint_exhibition_is_a_400(api_as, project_leader, joint_exhibition, local_event):
    response = api_as(project_leader).post(
        "/api/v1/exhibitions/", {"event": local_event.pk, "role": "joint"}, format="json"
    )
    assert response.status_code == 400
    assert "role" in response.json()


def test_a_concert_is_no_exhibition(api_as, project_leader, edition):
    concert = EventFactory(period=edition, kind=Event.Kind.CONCERT)
    response = api_as(project_leader).post(
        "/api/v1/exhibitions/", {"event": concert.pk, "role": "local"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"date": "2016-09-30", "opens": "12:00", "closes": "17:00"}, "date"),
        ({"date": "2016-09-11", "opens": "17:00", "closes": "12:00"}, "closes"),
    ],
)
def test_bad_exhibition_hours_are_a_400(api_as, project_leader, joint_exhibition, values, field):
    response = api_as(project_leader).post(
        f"/api/v1/exhibitions/{joint_exhibition.pk}/hours/", values, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_staff_set_exhibition_hours(api_as, project_leader, artist, joint_exhibition, check_schema):
    url = f"/api/v1/exhibitions/{joint_exhibition.pk}/hours/"
    values = {"date": "2016-09-11", "opens": "12:00", "closes": "17:00"}
    assert api_as(artist).post(url, values, format="json").status_code == 403
    body = check_schema(api_as(project_leader).post(url, values, format="json"))
    assert body["hours"] == [{"date": "2016-09-11", "opens": "12:00:00", "closes": "17:00:00"}]
