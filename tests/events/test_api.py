"""The REST API of the events core under /api/v1/, checked against its own schema."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event, Municipality, Period, Programme, Venue
from tests.conftest import ROLE_FIXTURES
from tests.factories import (
    OSLO,
    EventFactory,
    MunicipalityFactory,
    PeriodFactory,
    ProgrammeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = [*ROLE_FIXTURES, "anonymous"]
WRITERS = ["admin_user", "project_leader"]
NON_WRITERS = [role for role in ALL_ROLES if role not in WRITERS]
# Users with a role see members-only events too; anonymous and nobody do not.
MEMBERS = ["juror", "artist", "venue_host", "guardian", "tutor"]
LIST_URLS = [
    "/api/v1/municipalities/",
    "/api/v1/venues/",
    "/api/v1/programmes/",
    "/api/v1/periods/",
    "/api/v1/events/",
]


# Data and users -------------------------------------------------------------


@pytest.fixture
def user_for(request):
    """Return the user of a role fixture by name; "anonymous" is None."""

    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.fixture
def client_for(api_as, user_for):
    def get(role):
        return api_as(user_for(role))

    return get


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")


@pytest.fixture
def period(programme):
    return PeriodFactory(programme=programme, slug="2026")


@pytest.fixture
def municipality():
    """Lier as it has been since 2024, from the municipalities the migrations load."""
    return Municipality.objects.get(number="3312")


@pytest.fixture
def venue(municipality):
    return VenueFactory(name="Lierbyen galleri", municipality=municipality)


@pytest.fixture
def public_event(period, venue):
    return EventFactory(period=period, venue=venue, title_nb="Åpen utstilling")


@pytest.fixture
def members_event(period, venue):
    return EventFactory(
        period=period,
        venue=venue,
        title_nb="Medlemsmøte",
        visibility=Event.Visibility.MEMBERS,
    )


@pytest.fixture
def staff_event(period, venue):
    return EventFactory(
        period=period, venue=venue, title_nb="Rigging", visibility=Event.Visibility.STAFF
    )


def event_payload(period, venue, /, **changes):
    start = datetime(2026, 9, 12, 18, 0, tzinfo=OSLO)
    payload = {
        "period": period.pk,
        "kind": Event.Kind.CONCERT,
        "title_nb": "Høstkonsert",
        "title_en": "Autumn concert",
        "description_nb": "Ungdomssymfonikerne spiller.",
        "venue": venue.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
        "visibility": Event.Visibility.PUBLIC,
    }
    payload.update(changes)
    return payload


# Reading ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_reads_public_data(client_for, role, public_event, check_schema):
    client = client_for(role)
    for url in LIST_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = check_schema(response)
        assert body["count"] >= 1, url
        assert body["results"], url
    detail = client.get(f"/api/v1/events/{public_event.pk}/")
    assert detail.status_code == 200
    assert check_schema(detail)["title_nb"] == "Åpen utstilling"
    for url in (
        f"/api/v1/venues/{public_event.venue_id}/",
        f"/api/v1/periods/{public_event.period_id}/",
        f"/api/v1/programmes/{public_event.period.programme_id}/",
        f"/api/v1/municipalities/{public_event.venue.municipality_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        check_schema(response)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_events_are_listed_as_visible_to_the_user(
    client_for, role, public_event, members_event, staff_event, check_schema
):
    response = client_for(role).get("/api/v1/events/")
    titles = {event["title_nb"] for event in check_schema(response)["results"]}
    if role in WRITERS:
        assert titles == {"Åpen utstilling", "Medlemsmøte", "Rigging"}
    elif role in MEMBERS:
        assert titles == {"Åpen utstilling", "Medlemsmøte"}
    else:
        assert titles == {"Åpen utstilling"}


@pytest.mark.parametrize("role", ["anonymous", "nobody"])
def test_non_public_events_are_not_found_for_the_public(
    client_for, role, members_event, staff_event
):
    client = client_for(role)
    assert client.get(f"/api/v1/events/{members_event.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{staff_event.pk}/").status_code == 404


def test_event_output(api_client, public_event, check_schema):
    session = EventFactory(
        period=public_event.period, parent=public_event, venue=None, kind=Event.Kind.SESSION
    )
    body = check_schema(api_client.get(f"/api/v1/events/{public_event.pk}/"))
    assert body["uid"] == public_event.uid
    assert body["revision"] == 0
    assert body["kind"] == "concert"
    assert body["period"] == {
        "id": public_event.period_id,
        "slug": "2026",
        "name": public_event.period.name,
        "programme": "kunst-rett-vest",
    }
    assert body["parent"] is None
    assert body["venue"] == {
        "id": public_event.venue_id,
        "name": "Lierbyen galleri",
        "address": public_event.venue.address,
        "postcode": "3015",
        "place": "Drammen",
        "municipality": "Lier",
        "latitude": 59.744,
        "longitude": 10.204,
    }
    start = datetime.fromisoformat(body["start"])
    assert start.utcoffset() == public_event.start.astimezone(OSLO).utcoffset()
    assert start == public_event.start
    assert datetime.fromisoformat(body["end"]) == public_event.end
    assert body["status"] == "scheduled"
    assert body["visibility"] == "public"
    assert body["url"] == f"http://testserver/events/{public_event.pk}/"
    assert body["ics_url"] == f"http://testserver/events/{public_event.pk}.ics"

    session_body = check_schema(api_client.get(f"/api/v1/events/{session.pk}/"))
    assert session_body["parent"] == public_event.pk
    assert session_body["venue"] is None


def test_lists_are_paginated_with_a_page_size(api_client, period, check_schema):
    EventFactory.create_batch(5, period=period)
    body = check_schema(api_client.get("/api/v1/events/", {"page_size": 2}))
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/v1/events/?page=2&page_size=2"
    last = check_schema(api_client.get("/api/v1/events/", {"page_size": 2, "page": 3}))
    assert len(last["results"]) == 1
    assert last["next"] is None


def make_rows(count):
    """Make `count` rows of every resource; each event has a session, and one has no venue."""
    for _ in range(count):
        period = PeriodFactory()
        parent = EventFactory(period=period)
        EventFactory(period=period, parent=parent, kind=Event.Kind.SESSION, venue=None)


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("role", ["anonymous", "project_leader"])
def test_list_query_count_does_not_grow_with_rows(
    client_for, role, url, django_assert_max_num_queries
):
    client = client_for(role)
    make_rows(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"page_size": 500}).status_code == 200
    make_rows(58)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200
    assert response.json()["count"] >= 60


# Filters ----------------------------------------------------------------------


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(event["title_nb"] for event in response.json()["results"])


def test_event_filters(api_client, check_schema):
    art_round = ProgrammeFactory(slug="kunst-rett-vest")
    orchestra = ProgrammeFactory(slug="ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA)
    lier = MunicipalityFactory(name="Lier")
    hurum = MunicipalityFactory(name="Hurum")
    in_lier = VenueFactory(municipality=lier)
    in_hurum = VenueFactory(municipality=hurum)
    edition = PeriodFactory(programme=art_round)
    season = PeriodFactory(programme=orchestra)
    september = datetime(2026, 9, 5, 12, 0, tzinfo=OSLO)
    october = datetime(2026, 10, 10, 12, 0, tzinfo=OSLO)
    EventFactory(
        title_nb="Utstilling",
        period=edition,
        venue=in_lier,
        kind=Event.Kind.EXHIBITION,
        start=september,
        end=september + timedelta(days=2),
    )
    EventFactory(
        title_nb="Konsert",
        period=season,
        venue=in_hurum,
        kind=Event.Kind.CONCERT,
        start=october,
        end=october + timedelta(hours=2),
    )
    url = "/api/v1/events/"

    assert titles(api_client.get(url, {"programme": "kunst-rett-vest"})) == ["Utstilling"]
    assert titles(api_client.get(url, {"programme": "ungdomssymfonikerne"})) == ["Konsert"]
    assert titles(api_client.get(url, {"kind": "concert"})) == ["Konsert"]
    assert titles(api_client.get(url, {"municipality": lier.pk})) == ["Utstilling"]
    assert titles(api_client.get(url, {"venue": in_hurum.pk})) == ["Konsert"]
    assert titles(api_client.get(url, {"period": season.pk})) == ["Konsert"]
    # An event is in a date range when it overlaps it.
    assert titles(api_client.get(url, {"date_from": "2026-09-06", "date_to": "2026-09-30"})) == [
        "Utstilling"
    ]
    assert titles(api_client.get(url, {"date_from": "2026-09-08"})) == ["Konsert"]
    assert titles(api_client.get(url, {"date_to": "2026-09-04"})) == []
    assert titles(api_client.get(url, {"status": "cancelled"})) == []
    check_schema(api_client.get(url, {"programme": "kunst-rett-vest", "kind": "exhibition"}))


def test_unknown_filter_value_is_a_400(api_client, db):
    response = api_client.get("/api/v1/events/", {"programme": "finnes-ikke"})
    assert response.status_code == 400
    assert "programme" in response.json()
    assert api_client.get("/api/v1/events/", {"date_from": "i morgen"}).status_code == 400


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_venue_filters(api_client):
    lier = MunicipalityFactory(name="Lier")
    VenueFactory(name="Lierbyen galleri", municipality=lier)
    VenueFactory(name="Tranby kirke", municipality=lier)
    VenueFactory(name="Galleri Hurum")
    url = "/api/v1/venues/"
    assert names(api_client.get(url, {"municipality": lier.pk})) == [
        "Lierbyen galleri",
        "Tranby kirke",
    ]
    assert names(api_client.get(url, {"search": "GALLERI"})) == [
        "Galleri Hurum",
        "Lierbyen galleri",
    ]
    assert names(api_client.get(url, {"search": "galleri", "municipality": lier.pk})) == [
        "Lierbyen galleri"
    ]


def test_period_filter_by_programme_slug(api_client):
    art_round = ProgrammeFactory(slug="kunst-rett-vest")
    PeriodFactory(programme=art_round, name="Kunst rett vest 2026")
    PeriodFactory(programme=ProgrammeFactory(slug="usk"), name="Sesong 2026-2027")
    url = "/api/v1/periods/"
    assert names(api_client.get(url, {"programme": "kunst-rett-vest"})) == ["Kunst rett vest 2026"]
    assert api_client.get(url, {"programme": "finnes-ikke"}).status_code == 400


def test_programme_filter_by_kind(api_client):
    ProgrammeFactory(name="Kunst rett vest", kind=Programme.Kind.ART_ROUND)
    ProgrammeFactory(name="Ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA)
    assert names(api_client.get("/api/v1/programmes/", {"kind": "orchestra"})) == [
        "Ungdomssymfonikerne"
    ]


def test_municipality_filters(api_client):
    """The migrations load the municipalities of the region, old and new."""
    url = "/api/v1/municipalities/"
    everything = list(Municipality.objects.all())
    for day in (date(2010, 6, 1), date(2022, 6, 1), date(2025, 6, 1)):
        expected = sorted(m.name for m in everything if m.is_valid_on(day))
        assert names(api_client.get(url, {"valid_on": day.isoformat(), "page_size": 100})) == (
            expected
        )
    assert "Hurum" in names(api_client.get(url, {"valid_on": "2010-06-01"}))
    assert "Hurum" not in names(api_client.get(url, {"valid_on": "2025-06-01"}))

    viken = names(api_client.get(url, {"county": "viken", "page_size": 100}))
    assert viken == sorted(m.name for m in everything if m.county == "Viken")
    assert "Lier" in viken
    assert names(api_client.get(url, {"county": "Buskerud", "valid_on": "2025-01-01"})) == sorted(
        m.name for m in everything if m.county == "Buskerud" and m.is_valid_on(date(2025, 1, 1))
    )
    assert names(api_client.get(url, {"number": "0628"})) == ["Hurum"]
    assert api_client.get(url, {"valid_on": "snart"}).status_code == 400


# Writing ----------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_WRITERS)
def test_only_project_leaders_write(client_for, role, public_event, period, venue, municipality):
    client = client_for(role)
    expected = 401 if role == "anonymous" else 403
    before = Event.objects.get(pk=public_event.pk)
    counts_before = counts()
    writes = [
        client.post("/api/v1/events/", event_payload(period, venue)),
        client.put(f"/api/v1/events/{public_event.pk}/", event_payload(period, venue)),
        client.patch(f"/api/v1/events/{public_event.pk}/", {"title_nb": "Endret"}),
        client.delete(f"/api/v1/events/{public_event.pk}/"),
        client.post(f"/api/v1/events/{public_event.pk}/cancel/"),
        client.post("/api/v1/venues/", {"name": "Ny", "municipality": municipality.pk}),
        client.patch(f"/api/v1/venues/{venue.pk}/", {"name": "Endret"}),
        client.delete(f"/api/v1/venues/{venue.pk}/"),
        client.post("/api/v1/programmes/", {"slug": "ny", "name": "Ny", "kind": "other"}),
        client.delete(f"/api/v1/programmes/{period.programme_id}/"),
        client.post("/api/v1/periods/", {"programme": "kunst-rett-vest", "slug": "x"}),
        client.delete(f"/api/v1/periods/{period.pk}/"),
        client.post("/api/v1/municipalities/", {"name": "Ny", "number": "1234", "county": "X"}),
        client.delete(f"/api/v1/municipalities/{municipality.pk}/"),
    ]
    assert [response.status_code for response in writes] == [expected] * len(writes)
    after = Event.objects.get(pk=public_event.pk)
    assert (after.title_nb, after.status, after.revision) == (
        before.title_nb,
        before.status,
        before.revision,
    )
    assert counts() == counts_before


@pytest.mark.parametrize("role", WRITERS)
def test_project_leaders_create_change_and_delete_events(
    client_for, role, period, venue, check_schema
):
    client = client_for(role)
    response = client.post(
        "/api/v1/events/", event_payload(period, venue, uid="stolen@example.org", revision=99)
    )
    assert response.status_code == 201, response.content
    created = check_schema(response)
    event = Event.objects.get(pk=created["id"])
    assert event.title_nb == "Høstkonsert"
    assert event.start == datetime(2026, 9, 12, 18, 0, tzinfo=OSLO)
    assert created["start"] == "2026-09-12T18:00:00+02:00"
    # The calendar UID and revision are the server's, whatever the client sends.
    assert event.uid != "stolen@example.org"
    assert created["uid"] == event.uid
    assert created["revision"] == 0

    response = client.patch(
        f"/api/v1/events/{event.pk}/", {"title_en": "Autumn concert in Lier", "revision": 7}
    )
    assert response.status_code == 200, response.content
    changed = check_schema(response)
    assert changed["title_en"] == "Autumn concert in Lier"
    assert changed["revision"] == 1
    assert changed["uid"] == event.uid

    response = client.put(
        f"/api/v1/events/{event.pk}/", event_payload(period, venue, title_nb="Vinterkonsert")
    )
    assert response.status_code == 200, response.content
    assert check_schema(response)["title_nb"] == "Vinterkonsert"

    response = client.delete(f"/api/v1/events/{event.pk}/")
    assert response.status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


def test_project_leader_manages_the_other_resources(api_as, project_leader, check_schema):
    client = api_as(project_leader)

    response = client.post(
        "/api/v1/municipalities/",
        {"name": "Lier", "number": "3049", "county": "Buskerud", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 201, response.content
    municipality = check_schema(response)

    response = client.post(
        "/api/v1/venues/",
        {
            "name": "Lierbyen galleri",
            "municipality": municipality["id"],
            "latitude": 59.7849,
            "longitude": "10.2437",
        },
    )
    assert response.status_code == 201, response.content
    venue = check_schema(response)
    assert venue["municipality"]["name"] == "Lier"
    assert venue["latitude"] == 59.7849
    assert venue["url"] == f"http://testserver/venues/{venue['id']}/"

    response = client.post(
        "/api/v1/programmes/",
        {"slug": "kunst-rett-vest", "name": "Kunst rett vest", "kind": "art_round"},
    )
    assert response.status_code == 201, response.content
    programme = check_schema(response)
    assert programme["calendar_url"] == "http://testserver/calendar/kunst-rett-vest.ics"

    response = client.post(
        "/api/v1/periods/",
        {
            "programme": "kunst-rett-vest",
            "slug": "2026",
            "name": "Kunst rett vest 2026",
            "start": "2026-08-01",
            "end": "2026-10-31",
        },
    )
    assert response.status_code == 201, response.content
    period = check_schema(response)
    assert period["programme"] == "kunst-rett-vest"

    response = client.patch(f"/api/v1/venues/{venue['id']}/", {"capacity": 80})
    assert response.status_code == 200, response.content
    assert check_schema(response)["capacity"] == 80

    for url in (
        f"/api/v1/venues/{venue['id']}/",
        f"/api/v1/periods/{period['id']}/",
        f"/api/v1/programmes/{programme['id']}/",
        f"/api/v1/municipalities/{municipality['id']}/",
    ):
        response = client.delete(url)
        assert response.status_code == 204, url
    assert not Municipality.objects.filter(pk=municipality["id"]).exists()


def test_deleting_a_record_in_use_is_a_conflict(api_as, project_leader, public_event, check_schema):
    client = api_as(project_leader)
    for url in (
        f"/api/v1/venues/{public_event.venue_id}/",
        f"/api/v1/periods/{public_event.period_id}/",
        f"/api/v1/municipalities/{public_event.venue.municipality_id}/",
    ):
        response = client.delete(url)
        assert response.status_code == 409, url
        assert check_schema(response)["detail"]
    assert Event.objects.filter(pk=public_event.pk).exists()
    assert Venue.objects.filter(pk=public_event.venue_id).exists()


def test_deleting_an_event_deletes_its_sessions(api_as, project_leader, public_event):
    EventFactory(period=public_event.period, parent=public_event, kind=Event.Kind.SESSION)
    response = api_as(project_leader).delete(f"/api/v1/events/{public_event.pk}/")
    assert response.status_code == 204
    assert not Event.objects.exists()


def counts():
    return [model.objects.count() for model in (Event, Venue, Programme, Period, Municipality)]


def assert_field_error(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert all(isinstance(message, str) and message for message in body[field])


def test_model_rules_come_back_as_field_errors(api_as, project_leader, period, venue):
    client = api_as(project_leader)
    start = datetime(2026, 9, 12, 18, 0, tzinfo=OSLO)
    weekend = EventFactory(period=period, kind=Event.Kind.REHEARSAL_WEEKEND)
    session = EventFactory(period=period, parent=weekend, kind=Event.Kind.SESSION)
    other_period = PeriodFactory(programme=period.programme)
    counts_before = counts()

    before_start = (start - timedelta(hours=1)).isoformat()
    response = client.post("/api/v1/events/", event_payload(period, venue, end=before_start))
    assert_field_error(response, "end")

    response = client.post("/api/v1/events/", event_payload(period, venue, venue=999999))
    assert_field_error(response, "venue")

    response = client.post("/api/v1/events/", event_payload(period, venue, period=None))
    assert_field_error(response, "period")

    response = client.post("/api/v1/events/", event_payload(period, venue, kind="party"))
    assert_field_error(response, "kind")

    response = client.post("/api/v1/events/", event_payload(period, venue, parent=session.pk))
    assert_field_error(response, "parent")
    response = client.post("/api/v1/events/", event_payload(other_period, venue, parent=weekend.pk))
    assert_field_error(response, "parent")

    response = client.post(
        "/api/v1/municipalities/", {"name": "Lier", "number": "30x9", "county": "Buskerud"}
    )
    assert_field_error(response, "number")

    response = client.post(
        "/api/v1/venues/",
        {"name": "Halvveis", "municipality": venue.municipality_id, "latitude": 59.7},
    )
    assert_field_error(response, "non_field_errors")

    response = client.post("/api/v1/venues/", {"name": "Ingensteds", "municipality": 999999})
    assert_field_error(response, "municipality")

    response = client.post(
        "/api/v1/periods/",
        {
            "programme": period.programme.slug,
            "slug": "baklengs",
            "name": "Baklengs",
            "start": "2026-10-01",
            "end": "2026-09-01",
        },
    )
    assert_field_error(response, "end")

    assert counts() == counts_before


def test_unique_constraints_come_back_as_errors(api_as, project_leader, period):
    client = api_as(project_leader)
    response = client.post(
        "/api/v1/periods/",
        {
            "programme": period.programme.slug,
            "slug": period.slug,
            "name": "Dobbel",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
    )
    assert_field_error(response, "non_field_errors")
    response = client.post(
        "/api/v1/programmes/", {"slug": period.programme.slug, "name": "Dobbel", "kind": "other"}
    )
    assert_field_error(response, "slug")
    assert Period.objects.count() == 1


def test_a_rejected_update_changes_nothing(api_as, project_leader, public_event):
    response = api_as(project_leader).patch(
        f"/api/v1/events/{public_event.pk}/",
        {"title_nb": "Ny tittel", "end": (public_event.start - timedelta(days=1)).isoformat()},
    )
    assert_field_error(response, "end")
    event = Event.objects.get(pk=public_event.pk)
    assert (event.title_nb, event.end, event.revision) == (
        "Åpen utstilling",
        public_event.end,
        0,
    )


def test_a_change_to_the_venue_keeps_its_events_in_step(api_as, project_leader, public_event):
    response = api_as(project_leader).patch(
        f"/api/v1/venues/{public_event.venue_id}/", {"address": "Ny gate 1"}
    )
    assert response.status_code == 200
    assert Event.objects.get(pk=public_event.pk).revision == 1


# Cancelling -------------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_cancel_raises_the_revision_and_keeps_the_uid(client_for, role, public_event, check_schema):
    session = EventFactory(period=public_event.period, parent=public_event, kind=Event.Kind.SESSION)
    client = client_for(role)
    response = client.post(f"/api/v1/events/{public_event.pk}/cancel/")
    assert response.status_code == 200, response.content
    body = check_schema(response)
    assert body["status"] == "cancelled"
    assert body["uid"] == public_event.uid
    assert body["revision"] == 1
    session.refresh_from_db()
    assert session.status == Event.Status.CANCELLED
    assert session.revision == 1

    again = client.post(f"/api/v1/events/{public_event.pk}/cancel/")
    assert again.status_code == 400
    assert check_schema(again) == {"detail": "Arrangementet er allerede avlyst."}
    assert Event.objects.get(pk=public_event.pk).revision == 1

    response = client.post(f"/api/v1/events/{public_event.pk}/reinstate/")
    assert response.status_code == 200, response.content
    body = check_schema(response)
    assert (body["status"], body["revision"], body["uid"]) == ("scheduled", 2, public_event.uid)
    assert client.post(f"/api/v1/events/{public_event.pk}/reinstate/").status_code == 400


def test_cancel_can_spare_the_sessions(api_as, project_leader, public_event):
    session = EventFactory(period=public_event.period, parent=public_event, kind=Event.Kind.SESSION)
    response = api_as(project_leader).post(
        f"/api/v1/events/{public_event.pk}/cancel/", {"cascade": False}
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == Event.Status.SCHEDULED


def test_cancelling_a_hidden_or_missing_event_is_a_404(api_as, project_leader):
    assert api_as(project_leader).post("/api/v1/events/999999/cancel/").status_code == 404


# Authentication ---------------------------------------------------------------


def test_token_from_drf_create_token_lets_a_project_leader_create_an_event(
    project_leader, period, venue, check_schema
):
    call_command("drf_create_token", project_leader.username, stdout=StringIO())
    token = Token.objects.get(user=project_leader)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/events/", event_payload(period, venue))
    assert response.status_code == 201, response.content
    assert check_schema(response)["title_nb"] == "Høstkonsert"


def test_token_of_another_role_may_read_but_not_write(artist, period, venue):
    token = Token.objects.create(user=artist)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/events/").status_code == 200
    assert client.post("/api/v1/events/", event_payload(period, venue)).status_code == 403


def test_a_bad_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/events/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_login_works_and_needs_the_csrf_token(project_leader, period, venue):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=project_leader.username, password="pass")
    assert client.get("/api/v1/events/").status_code == 200

    without = client.post("/api/v1/events/", event_payload(period, venue))
    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]

    client.get("/accounts/login/")
    csrf_token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/events/", event_payload(period, venue), HTTP_X_CSRFTOKEN=csrf_token
    )
    assert response.status_code == 201, response.content
