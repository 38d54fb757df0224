"""The calendar feeds of the open studios' hours: per edition and per studio."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artists.services import studios as studio_services
from events.models import Event
from tests.artists.factories import (
    STUDIO_DAYS,
    StudioFactory,
    StudioHoursFactory,
    art_round_call,
    make_studio,
    municipality,
    studios_at_scale,
    two_studio_editions,
)
from tests.calendars import instants, last_sunday, read_calendar, read_calendars
from tests.factories import OSLO, EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_studio, edition):
    studio_services.publish_studio_numbers(edition=edition)
    open_studio.refresh_from_db()
    return open_studio


def feed_url(edition, **params):
    url = reverse("artists:studio_feed", args=[edition.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def vevents(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, _ = read_calendar(response.content)
    return list(calendar.walk("VEVENT"))


def test_one_event_per_studio_and_open_day(client, published, edition):
    events = vevents(client.get(feed_url(edition, lang="en")))
    assert len(events) == 4
    first = events[0]
    assert str(first["SUMMARY"]) == f"Open studio {published.number}: Atelier Maler"
    assert str(first["LOCATION"]) == "Atelier Maler, Strandveien 1, 1384 Asker"
    assert (first["GEO"].latitude, first["GEO"].longitude) == (59.833, 10.435)
    assert first.decoded("DTSTART") == datetime(2016, 9, 17, 11, tzinfo=OSLO)
    assert first.decoded("DTEND") == datetime(2016, 9, 17, 17, tzinfo=OSLO)
    assert "Mari Maler" in str(first["DESCRIPTION"])
    assert str(first["URL"]).startswith("http://testserver/2016/atelierer/#studio-")
    assert len({str(event["UID"]) for event in events}) == 4
    assert [event.decoded("DTSTART").date() for event in events] == STUDIO_DAYS


def test_the_feed_is_a_named_subscription(client, published, edition):
    calendar, _ = read_calendar(client.get(feed_url(edition, lang="en")).content)
    # TEXT: the comma is escaped, so that readers do not take it for a list separator.
    assert str(calendar["X-WR-CALNAME"]) == f"Open studios\\, {edition.name}"
    assert calendar.walk("VTIMEZONE")


def test_the_feed_speaks_norwegian_by_default(client, published, edition):
    (event, *_rest) = vevents(client.get(feed_url(edition)))
    # Translated by the lead; until then the English source shows.
    assert str(event["SUMMARY"]) in {
        f"Åpent atelier {published.number}: Atelier Maler",
        f"Open studio {published.number}: Atelier Maler",
    }


def test_unpublished_studios_are_left_out(client, open_studio, edition):
    assert vevents(client.get(feed_url(edition))) == []
    url = reverse("artists:studio_calendar", args=[edition.slug, open_studio.pk])
    assert client.get(url).status_code == 404


def test_a_studio_of_another_edition_is_not_in_the_feed(client, published, edition):
    later = art_round_call("2017").period
    assert vevents(client.get(feed_url(later))) == []
    url = reverse("artists:studio_calendar", args=[later.slug, published.pk])
    assert client.get(url).status_code == 404


def test_one_studios_feed(client, published, other_artist, edition, weekends):
    other = StudioFactory(
        edition=edition,
        venue=VenueFactory(name="Verkstedet", municipality=municipality("3203")),
    )
    StudioHoursFactory(studio=other, date=date(2016, 9, 24), opens=time(10), closes=time(14))
    studio_services.publish_studio_numbers(edition=edition)
    assert len(vevents(client.get(feed_url(edition)))) == 5
    url = reverse("artists:studio_calendar", args=[edition.slug, published.pk])
    response = client.get(url + "?lang=en")
    events = vevents(response)
    assert len(events) == 4
    assert {str(event["LOCATION"]) for event in events} == {
        "Atelier Maler, Strandveien 1, 1384 Asker"
    }
    calendar, _ = read_calendar(response.content)
    assert str(calendar["X-WR-CALNAME"]) == f"Open studio {published.number}: Atelier Maler"


def test_unknown_edition_is_404(client):
    assert client.get(reverse("artists:studio_feed", args=["1999"])).status_code == 404


def test_304_until_the_hours_change(client, published, edition, artist_profile):
    first = client.get(feed_url(edition))
    assert first["ETag"]
    again = client.get(feed_url(edition), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    studio_services.set_studio_hours(
        studio=published,
        by=artist_profile.user,
        day=date(2016, 9, 17),
        opens=time(12),
        closes=time(16),
    )
    changed = client.get(feed_url(edition), headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    starts = [event.decoded("DTSTART") for event in vevents(changed)]
    assert datetime(2016, 9, 17, 12, tzinfo=OSLO) in starts


def test_no_last_modified_that_would_hide_new_hours(client, published, edition, artist_profile):
    first = client.get(feed_url(edition))
    assert "Last-Modified" not in first
    studio_services.set_studio_hours(
        studio=published,
        by=artist_profile.user,
        day=date(2016, 9, 18),
        opens=time(13),
        closes=time(15),
    )
    later = client.get(
        feed_url(edition), headers={"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    )
    assert later.status_code == 200


def test_the_feed_is_built_once_and_cached(client, published, edition, monkeypatch):
    first = client.get(feed_url(edition))

    def fail(*args, **kwargs):
        raise AssertionError("the feed was built again")

    monkeypatch.setattr("events.feeds.build_calendar_of_entries", fail)
    again = client.get(feed_url(edition))
    assert again.status_code == 200
    assert again.content == first.content


def test_the_events_feed_still_works(client, published, edition):
    """The open-studio weekends stay in the programme's event feed, apart from the hours."""
    response = client.get(reverse("events:programme_feed", args=[edition.programme.slug]))
    kinds = {str(event["SUMMARY"]) for event in vevents(response)}
    assert any("Åpne atelierer" in summary for summary in kinds)


@pytest.mark.parametrize("role", ["admin_user", "artist", "guardian", "nobody", None])
def test_everyone_reads_the_public_feed(client, request, role, published, edition):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    assert len(vevents(client.get(feed_url(edition)))) == 4


def test_the_same_queries_for_3_and_30_studios(client, django_assert_max_num_queries):
    few, many = two_studio_editions()
    studios_at_scale(few, 3, "few")
    studios_at_scale(many, 30, "many")
    with CaptureQueriesContext(connection) as context:
        assert len(vevents(client.get(feed_url(few)))) == 6
    with django_assert_max_num_queries(len(context.captured_queries)):
        assert len(vevents(client.get(feed_url(many)))) == 60
    assert len(context.captured_queries) <= 6


def test_a_studio_without_coordinates_has_no_geo(
    client, accepted, artist_profile, edition, weekends
):
    studio = make_studio(
        artist_profile, edition, by=artist_profile.user, latitude=None, longitude=None
    )
    studio_services.set_studio_hours(
        studio=studio,
        by=artist_profile.user,
        day=date(2016, 9, 17),
        opens=time(11),
        closes=time(15),
    )
    studio_services.publish_studio_numbers(edition=edition)
    (event,) = vevents(client.get(feed_url(edition)))
    assert "GEO" not in event
    assert "Strandveien 1" in str(event["LOCATION"])


def test_the_hours_read_the_same_instants_in_every_parser(
    client, published, edition, artist_profile
):
    """Open on the weekends the clocks change, 2016 to 2027, through the night of the change:
    besides September 2016, the feed's first summer, which ical.js read an hour off."""
    expected = {
        f"studio-{published.pk}-{day:%Y%m%d}@kulturvest": (
            datetime.combine(day, time(11), tzinfo=OSLO).astimezone(UTC),
            datetime.combine(day, time(17), tzinfo=OSLO).astimezone(UTC),
        )
        for day in STUDIO_DAYS
    }
    for year in range(2016, 2028):
        for sunday, opens, closes in (
            (last_sunday(year, 3), time(1, 30), time(3, 30)),  # 02:00 becomes 03:00
            (last_sunday(year, 10), time(2, 30), time(3, 30)),  # the first 02:30 (summer time)
        ):
            saturday = sunday - timedelta(days=1)
            EventFactory(
                period=edition,
                kind=Event.Kind.OPEN_STUDIO_WEEKEND,
                venue=None,
                start=datetime.combine(saturday, time(11), tzinfo=OSLO),
                end=datetime.combine(sunday, time(17), tzinfo=OSLO),
            )
            for day, start, end in ((saturday, time(11), time(17)), (sunday, opens, closes)):
                studio_services.set_studio_hours(
                    studio=published, by=artist_profile.user, day=day, opens=start, closes=end
                )
                expected[f"studio-{published.pk}-{day:%Y%m%d}@kulturvest"] = (
                    datetime.combine(day, start, tzinfo=OSLO).astimezone(UTC),
                    datetime.combine(day, end, tzinfo=OSLO).astimezone(UTC),
                )
    assert expected[f"studio-{published.pk}-20161030@kulturvest"] == (
        datetime(2016, 10, 30, 0, 30, tzinfo=UTC),
        datetime(2016, 10, 30, 2, 30, tzinfo=UTC),
    )

    responses = [
        client.get(feed_url(edition)),
        client.get(reverse("artists:studio_calendar", args=[edition.slug, published.pk])),
    ]
    assert [response.status_code for response in responses] == [200, 200]
    for calendar, _ in read_calendars(*(response.content for response in responses)):
        assert instants(calendar) == expected
