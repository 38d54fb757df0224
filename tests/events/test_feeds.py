"""The calendar feeds (RFC 5545), read back with icalendar and with the independent vobject
and ical.js (tests.calendars)."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from events.models import Event
from events.services import cancel_event
from tests.calendars import read_calendar
from tests.factories import (
    OSLO,
    EventFactory,
    PeriodFactory,
    ProgrammeFactory,
    VenueFactory,
)
from tests.queries import tables_read

pytestmark = pytest.mark.django_db

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def parse(response):
    """Return the feed parsed by icalendar and by vobject, after checking that they and
    ical.js read the same events at the same instants (tests.calendars)."""
    return read_calendar(response.content)


def vevents(calendar):
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


def vobject_events(calendar):
    return {vevent.uid.value: vevent for vevent in getattr(calendar, "vevent_list", [])}


@pytest.fixture
def programme():
    return ProgrammeFactory(
        slug="kunst-rett-vest",
        name="Kunst rett vest",
        description_nb="Kunstrunden i Buskerud.",
        description_en="The art round of Buskerud.",
    )


@pytest.fixture
def period(programme):
    return PeriodFactory(programme=programme, slug="2026")


@pytest.fixture
def venue():
    return VenueFactory(
        name="Galleri Vest",
        address="Storgata 1",
        postcode="3015",
        place="Drammen",
        latitude=Decimal("59.744100"),
        longitude=Decimal("10.204200"),
    )


@pytest.fixture
def event(period, venue):
    return EventFactory(
        period=period,
        venue=venue,
        title_nb="Åpning i galleriet",
        title_en="Opening in the gallery",
        description_nb="Velkommen, alle sammen; det blir vin.",
        description_en="Welcome, everyone; there will be wine.",
        start=datetime(2026, 6, 12, 18, 0, tzinfo=OSLO),
        end=datetime(2026, 6, 12, 21, 0, tzinfo=OSLO),
    )


def feed_url(programme):
    return reverse("events:programme_feed", args=[programme.slug])


def test_programme_feed_has_every_calendar_property(client, programme, event):
    response = client.get(feed_url(programme))

    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR_TYPE
    assert "Content-Disposition" not in response
    assert response["ETag"]
    assert response["Last-Modified"] == http_date(int(event.updated_at.timestamp()))

    by_icalendar, by_vobject = parse(response)
    assert by_icalendar["VERSION"] == "2.0"
    assert by_icalendar["PRODID"] == "-//Kulturvest//Kulturvest//NB"
    assert by_icalendar["CALSCALE"] == "GREGORIAN"
    assert by_icalendar["METHOD"] == "PUBLISH"
    assert by_icalendar["X-WR-CALNAME"] == "Kunst rett vest"
    assert by_icalendar["X-WR-CALDESC"] == "Kunstrunden i Buskerud."
    assert by_icalendar["X-WR-TIMEZONE"] == "Europe/Oslo"
    assert by_icalendar["X-PUBLISHED-TTL"] == "PT1H"
    assert by_icalendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert by_icalendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert by_vobject.version.value == "2.0"
    assert by_vobject.prodid.value == "-//Kulturvest//Kulturvest//NB"
    assert by_vobject.calscale.value == "GREGORIAN"
    assert by_vobject.method.value == "PUBLISH"
    assert by_vobject.contents["x-wr-calname"][0].value == "Kunst rett vest"
    assert by_vobject.contents["x-wr-caldesc"][0].value == "Kunstrunden i Buskerud."
    assert by_vobject.contents["x-wr-timezone"][0].value == "Europe/Oslo"
    assert by_vobject.contents["x-published-ttl"][0].value == "PT1H"
    assert by_vobject.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]
    assert [tz.tzid.value for tz in by_vobject.vtimezone_list] == ["Europe/Oslo"]
    assert [str(tz["TZID"]) for tz in by_icalendar.walk("VTIMEZONE")] == ["Europe/Oslo"]

    vevent = vevents(by_icalendar)[event.uid]
    assert vevent["SUMMARY"] == "Åpning i galleriet"
    assert vevent["DESCRIPTION"] == "Velkommen, alle sammen; det blir vin."
    assert vevent["LOCATION"] == "Galleri Vest, Storgata 1, 3015 Drammen"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["URL"] == f"http://testserver/events/{event.pk}/"
    assert vevent.decoded("SEQUENCE") == 0
    assert vevent["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert vevent.decoded("DTSTART") == event.start
    assert vevent.decoded("DTEND") == event.end
    assert vevent.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert vevent.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)
    assert vevent.decoded("CREATED") == event.created_at.replace(microsecond=0)
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (59.7441, 10.2042)
    assert "RELATED-TO" not in vevent

    same = vobject_events(by_vobject)[event.uid]
    assert same.summary.value == "Åpning i galleriet"
    assert same.description.value == "Velkommen, alle sammen; det blir vin."
    assert same.location.value == "Galleri Vest, Storgata 1, 3015 Drammen"
    assert same.status.value == "CONFIRMED"
    assert same.url.value == f"http://testserver/events/{event.pk}/"
    assert same.sequence.value == "0"
    assert same.dtstart.value == event.start
    assert same.dtend.value == event.end
    assert same.dtstamp.value == event.updated_at.replace(microsecond=0)
    assert same.last_modified.value == event.updated_at.replace(microsecond=0)
    assert same.created.value == event.created_at.replace(microsecond=0)
    assert same.geo.value == "59.7441;10.2042"


def test_feed_is_english_with_norwegian_fallback_on_request(client, programme, period, event):
    untranslated = EventFactory(period=period, title_nb="Bare norsk", title_en="")

    norwegian, _ = parse(client.get(feed_url(programme)))
    english, by_vobject = parse(client.get(feed_url(programme), {"lang": "en"}))

    assert vevents(norwegian)[event.uid]["SUMMARY"] == "Åpning i galleriet"
    assert vevents(english)[event.uid]["SUMMARY"] == "Opening in the gallery"
    assert vevents(english)[event.uid]["DESCRIPTION"] == "Welcome, everyone; there will be wine."
    assert vevents(english)[untranslated.uid]["SUMMARY"] == "Bare norsk"
    assert english["X-WR-CALDESC"] == "The art round of Buskerud."
    assert vobject_events(by_vobject)[event.uid].summary.value == "Opening in the gallery"


def test_feed_language_ignores_the_site_language_cookie(client, programme, event):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    calendar, _ = parse(client.get(feed_url(programme)))
    assert vevents(calendar)[event.uid]["SUMMARY"] == "Åpning i galleriet"


def test_editing_an_event_raises_sequence_and_keeps_uid(client, programme, event):
    uid = event.uid
    first, _ = parse(client.get(feed_url(programme)))
    assert vevents(first)[uid].decoded("SEQUENCE") == 0

    event.title_nb = "Åpning flyttet"
    event.save()
    second, by_vobject = parse(client.get(feed_url(programme)))
    assert vevents(second)[uid]["SUMMARY"] == "Åpning flyttet"
    assert vevents(second)[uid].decoded("SEQUENCE") == 1

    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event.save()
    third, by_vobject = parse(client.get(feed_url(programme)))
    assert list(vevents(third)) == [uid]
    assert vevents(third)[uid].decoded("SEQUENCE") == 2
    assert vevents(third)[uid].decoded("DTSTART") == datetime(2026, 6, 12, 19, 0, tzinfo=OSLO)
    assert vobject_events(by_vobject)[uid].sequence.value == "2"


def test_venue_change_updates_location_and_sequence(client, programme, event, venue):
    venue.refresh_from_db()
    venue.address = "Torget 2"
    venue.save()
    calendar, _ = parse(client.get(feed_url(programme)))
    vevent = vevents(calendar)[event.uid]
    assert vevent["LOCATION"] == "Galleri Vest, Torget 2, 3015 Drammen"
    assert vevent.decoded("SEQUENCE") == 1


def test_cancelled_events_are_marked_then_drop_out(client, programme, period):
    recent = EventFactory(period=period)
    cancel_event(event=recent)
    now = timezone.now()
    ended_29_days_ago = EventFactory(
        period=period,
        status=Event.Status.CANCELLED,
        start=now - timedelta(days=29, hours=2),
        end=now - timedelta(days=29),
    )
    ended_31_days_ago = EventFactory(
        period=period,
        status=Event.Status.CANCELLED,
        start=now - timedelta(days=31, hours=2),
        end=now - timedelta(days=31),
    )
    held_long_ago = EventFactory(
        period=period, start=now - timedelta(days=400, hours=2), end=now - timedelta(days=400)
    )

    calendar, by_vobject = parse(client.get(feed_url(programme)))
    found = vevents(calendar)
    assert set(found) == {recent.uid, ended_29_days_ago.uid, held_long_ago.uid}
    assert found[recent.uid]["STATUS"] == "CANCELLED"
    assert found[recent.uid].decoded("SEQUENCE") == 1
    assert found[ended_29_days_ago.uid]["STATUS"] == "CANCELLED"
    assert found[held_long_ago.uid]["STATUS"] == "CONFIRMED"
    assert vobject_events(by_vobject)[recent.uid].status.value == "CANCELLED"
    assert ended_31_days_ago.uid not in vobject_events(by_vobject)


def test_private_events_never_appear_in_public_feeds(client, admin_user, programme, period, venue):
    public = EventFactory(period=period, venue=venue)
    members = EventFactory(period=period, venue=venue, visibility=Event.Visibility.MEMBERS)
    staff = EventFactory(period=period, venue=venue, visibility=Event.Visibility.STAFF)
    client.force_login(admin_user)

    for url in (feed_url(programme), reverse("events:venue_feed", args=[venue.pk])):
        content = client.get(url).content.decode()
        assert public.uid in content
        assert members.uid not in content
        assert staff.uid not in content
        assert members.title_nb not in content


def test_programme_feed_spans_all_periods_and_only_its_programme(client, programme, period):
    earlier = PeriodFactory(programme=programme, slug="2025")
    this_year = EventFactory(period=period)
    last_year = EventFactory(period=earlier)
    elsewhere = EventFactory()

    calendar, _ = parse(client.get(feed_url(programme)))
    assert set(vevents(calendar)) == {this_year.uid, last_year.uid}
    assert elsewhere.uid not in set(vevents(calendar))


def test_venue_feed(client, period, venue):
    here = EventFactory(period=period, venue=venue, title_nb="Her")
    EventFactory(period=period, title_nb="Et annet sted")

    response = client.get(reverse("events:venue_feed", args=[venue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR_TYPE
    assert "Content-Disposition" not in response
    calendar, by_vobject = parse(response)
    assert list(vevents(calendar)) == [here.uid]
    assert calendar["X-WR-CALNAME"] == "Galleri Vest"
    # TEXT: written with its commas escaped, read back by vobject without.
    assert "Galleri Vest\\, Storgata 1\\, 3015 Drammen" in calendar["X-WR-CALDESC"]
    assert "Galleri Vest, Storgata 1, 3015 Drammen" in by_vobject.x_wr_caldesc.value
    assert vobject_events(by_vobject)[here.uid].location.value == venue.full_address


def test_event_without_venue_or_coordinates(client, programme, period):
    nowhere = EventFactory(period=period, venue=None)
    unmapped = EventFactory(period=period, venue=VenueFactory(latitude=None, longitude=None))

    calendar, by_vobject = parse(client.get(feed_url(programme)))
    assert "LOCATION" not in vevents(calendar)[nowhere.uid]
    assert "GEO" not in vevents(calendar)[nowhere.uid]
    assert vevents(calendar)[unmapped.uid]["LOCATION"] == unmapped.venue.full_address
    assert "GEO" not in vevents(calendar)[unmapped.uid]
    assert not hasattr(vobject_events(by_vobject)[unmapped.uid], "geo")


def test_sessions_are_related_to_their_parent(client, programme, period, event):
    session = EventFactory(period=period, parent=event, kind=Event.Kind.SESSION)
    calendar, by_vobject = parse(client.get(feed_url(programme)))
    related = vevents(calendar)[session.uid]["RELATED-TO"]
    assert related == event.uid
    assert related.params["RELTYPE"] == "PARENT"
    assert vobject_events(by_vobject)[session.uid].related_to.value == event.uid


def test_empty_feed_is_still_a_valid_calendar(client, programme):
    response = client.get(feed_url(programme))
    assert response.status_code == 200
    assert "Last-Modified" not in response
    calendar, by_vobject = parse(response)
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert by_vobject.contents["x-wr-calname"][0].value == "Kunst rett vest"


def test_unknown_programme_and_venue_are_404(client):
    assert client.get("/calendar/ingen-slik.ics").status_code == 404
    assert client.get("/calendar/venue/999999.ics").status_code == 404


def test_feeds_answer_only_get_and_head(client, programme, event):
    assert client.post(feed_url(programme)).status_code == 405
    head = client.head(feed_url(programme))
    assert head.status_code == 200
    assert head["ETag"]


# Conditional requests and caching


def test_if_none_match_answers_304_until_an_event_changes(client, programme, event):
    first = client.get(feed_url(programme))
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "no-cache" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]

    again = client.get(feed_url(programme), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    event.title_nb = "Ny tittel"
    event.save()
    changed = client.get(feed_url(programme), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Ny tittel" in changed.content.decode()


def test_if_modified_since_answers_304(client, programme, event):
    url = feed_url(programme)
    last_modified = client.get(url)["Last-Modified"]
    earlier = http_date(int((event.updated_at - timedelta(hours=1)).timestamp()))

    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_etag_depends_on_language_and_on_the_set_of_events(client, programme, period, event):
    norwegian = client.get(feed_url(programme))["ETag"]
    english = client.get(feed_url(programme), {"lang": "en"})
    assert english["ETag"] != norwegian
    assert (
        client.get(
            feed_url(programme), {"lang": "en"}, headers={"if-none-match": norwegian}
        ).status_code
        == 200
    )

    added = EventFactory(period=period)
    with_added = client.get(feed_url(programme))["ETag"]
    assert with_added != norwegian
    added.delete()
    assert client.get(feed_url(programme))["ETag"] != with_added


def test_a_dropped_out_cancelled_event_changes_the_etag(client, programme, period, event):
    now = timezone.now()
    cancelled = EventFactory(
        period=period,
        status=Event.Status.CANCELLED,
        start=now - timedelta(days=29, hours=2),
        end=now - timedelta(days=29),
    )
    before = client.get(feed_url(programme))
    assert cancelled.uid in before.content.decode()
    # No write: two days pass, and the cancelled event leaves 30 days after its end.
    with time_machine.travel(now + timedelta(days=2)):
        after = client.get(feed_url(programme), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert cancelled.uid not in after.content.decode()


def test_304_and_cached_feed_do_not_build_the_feed(
    client, programme, event, django_assert_num_queries, monkeypatch
):
    first = client.get(feed_url(programme))

    def fail(*args, **kwargs):
        raise AssertionError("the feed was built again")

    monkeypatch.setattr("events.feeds.build_calendar_of_entries", fail)
    monkeypatch.setattr("events.feeds.event_entry", fail)
    # The programme, and its change stamps: nothing of the events.
    with django_assert_num_queries(2) as not_modified_queries:
        not_modified = client.get(feed_url(programme), headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert tables_read(not_modified_queries.captured_queries) == {
        "events_programme",
        "core_changestamp",
    }
    with django_assert_num_queries(2):
        cached = client.get(feed_url(programme))
    assert cached.status_code == 200
    assert cached.content == first.content


def make_events(period, venue, count):
    parent = EventFactory(period=period, venue=venue)
    start = datetime(2026, 5, 1, 18, 0, tzinfo=OSLO)
    Event.objects.bulk_create(
        Event(
            period=period,
            parent=parent if n % 10 == 0 else None,
            kind=Event.Kind.CONCERT,
            title_nb=f"Konsert {n}",
            title_en=f"Concert {n}",
            venue=venue,
            start=start + timedelta(days=n % 300, hours=n % 3),
            end=start + timedelta(days=n % 300, hours=n % 3 + 2),
        )
        for n in range(count - 1)
    )


@pytest.mark.parametrize("count", [3, 1000])
def test_feed_queries_do_not_grow_with_events(
    client, programme, period, venue, count, django_assert_max_num_queries
):
    make_events(period, venue, count)
    with django_assert_max_num_queries(3):
        response = client.get(feed_url(programme))
    assert response.content.count(b"BEGIN:VEVENT") == count
    with django_assert_max_num_queries(3):
        response = client.get(reverse("events:venue_feed", args=[venue.pk]))
    assert response.content.count(b"BEGIN:VEVENT") == count


# The single event's download


def test_single_event_download(client, event):
    url = reverse("events:event_ics", args=[event.pk])
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="apning-i-galleriet.ics"'
    calendar, by_vobject = parse(response)
    assert list(vevents(calendar)) == [event.uid]
    assert vevents(calendar)[event.uid]["SUMMARY"] == "Åpning i galleriet"
    assert vevents(calendar)[event.uid]["STATUS"] == "CONFIRMED"
    # A download adds the event to one of the user's calendars, not a new calendar.
    assert "X-WR-CALNAME" not in calendar
    assert vobject_events(by_vobject)[event.uid].dtstart.value == event.start

    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_single_event_download_in_english(client, event):
    response = client.get(reverse("events:event_ics", args=[event.pk]), {"lang": "en"})
    assert response["Content-Disposition"] == 'attachment; filename="opening-in-the-gallery.ics"'
    calendar, _ = parse(response)
    assert vevents(calendar)[event.uid]["SUMMARY"] == "Opening in the gallery"


def test_single_cancelled_event_long_ago_can_still_be_downloaded(client, period):
    now = timezone.now()
    old = EventFactory(
        period=period,
        status=Event.Status.CANCELLED,
        start=now - timedelta(days=100, hours=2),
        end=now - timedelta(days=100),
    )
    calendar, _ = parse(client.get(reverse("events:event_ics", args=[old.pk])))
    assert vevents(calendar)[old.uid]["STATUS"] == "CANCELLED"


@pytest.mark.parametrize(
    ("visibility", "allowed", "refused"),
    [
        (Event.Visibility.MEMBERS, ["artist", "project_leader", "admin_user"], [None, "nobody"]),
        (Event.Visibility.STAFF, ["project_leader", "admin_user"], [None, "nobody", "artist"]),
    ],
)
def test_single_event_download_only_for_those_who_may_see_it(
    client, request, period, visibility, allowed, refused
):
    event = EventFactory(period=period, visibility=visibility)
    url = reverse("events:event_ics", args=[event.pk])
    for fixture in refused:
        client.logout()
        if fixture:
            client.force_login(request.getfixturevalue(fixture))
        assert client.get(url).status_code == 404, fixture
    for fixture in allowed:
        client.force_login(request.getfixturevalue(fixture))
        response = client.get(url)
        assert response.status_code == 200, fixture
        assert event.uid in response.content.decode()
        assert "private" in response["Cache-Control"]


def test_unknown_single_event_is_404(client):
    assert client.get(reverse("events:event_ics", args=[999999])).status_code == 404


def test_private_event_etag_does_not_open_it_to_others(client, artist, period):
    event = EventFactory(period=period, visibility=Event.Visibility.MEMBERS)
    url = reverse("events:event_ics", args=[event.pk])
    client.force_login(artist)
    etag = client.get(url)["ETag"]
    client.logout()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 404


# The subscribe links


def render_subscribe(feed_url, language="nb"):
    request = RequestFactory().get("/programmes/kunst-rett-vest/")
    with translation.override(language):
        return Template("{% load calendar_tags %}{% subscribe_links feed_url %}").render(
            Context({"request": request, "feed_url": feed_url})
        )


def test_subscribe_links_offer_webcal_google_and_the_address():
    html = render_subscribe("/calendar/kunst-rett-vest.ics")

    assert 'href="webcal://testserver/calendar/kunst-rett-vest.ics"' in html
    assert (
        'href="https://calendar.google.com/calendar/r?cid='
        'webcal%3A%2F%2Ftestserver%2Fcalendar%2Fkunst-rett-vest.ics"'
    ) in html
    assert 'value="http://testserver/calendar/kunst-rett-vest.ics" readonly' in html
    assert "hver 12. til 24. time" in html  # Norwegian, the default language
    assert 'class="subscribe"' in html
    assert "<label for=" in html


def test_subscribe_links_say_how_to_subscribe_on_each_platform():
    html = render_subscribe("/calendar/kunst-rett-vest.ics", language="en")
    webcal = "webcal://testserver/calendar/kunst-rett-vest.ics?lang=en"
    https = "http://testserver/calendar/kunst-rett-vest.ics?lang=en"
    google = "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")

    def link_of(platform):
        start = html.index(f'class="subscribe-platform-{platform}"')
        found = re.search(r'href="([^"]+)"', html[start:])
        return found.group(1).replace("&amp;", "&")

    assert link_of("apple") == webcal
    assert link_of("google") == google
    assert link_of("android") == https
    assert link_of("outlook") == https
    assert "cannot subscribe from a link" in html
    assert "ICSx⁵" in html


def test_subscribe_links_for_english_readers_subscribe_to_the_english_feed():
    html = render_subscribe("/calendar/venue/7.ics", language="en")

    assert 'href="webcal://testserver/calendar/venue/7.ics?lang=en"' in html
    assert "cid=webcal%3A%2F%2Ftestserver%2Fcalendar%2Fvenue%2F7.ics%3Flang%3Den" in html
    assert 'value="http://testserver/calendar/venue/7.ics?lang=en"' in html


def test_programme_page_shows_the_subscribe_links(client, programme):
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "webcal://testserver/calendar/kunst-rett-vest.ics" in html
    assert "calendar.google.com" in html


def test_timestamps_are_utc(client, programme, event):
    content = client.get(feed_url(programme)).content.decode()
    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        [line] = [line for line in content.splitlines() if line.startswith(f"{name}:")]
        assert line.endswith("Z"), line
