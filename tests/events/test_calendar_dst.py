"""Feed times across the daylight-saving changes of Europe/Oslo, 2016 to 2027, read by three
parsers (tests.calendars).

icalendar knows Europe/Oslo by name; vobject and ical.js (Thunderbird, Nextcloud) read the
feed's own VTIMEZONE, so they check that it says what the time zone database says in every
year of the feed, its first summer and the nights of the changes included.
"""

import shutil
from datetime import UTC, timedelta

import pytest
from django.urls import reverse

from events.models import Event
from tests.calendars import (
    IcalJs,
    instants,
    moments_across_daylight_saving,
    read_calendar,
    read_calendars,
)
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, VenueFactory

pytestmark = pytest.mark.django_db

MOMENTS = moments_across_daylight_saving(2016, 2027)
# Long enough to cross the change when it starts just before it.
DURATION = timedelta(minutes=90)


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")


@pytest.fixture
def venue():
    return VenueFactory(name="Galleri Vest")


@pytest.fixture
def expected(programme, venue):
    """Events at every moment, in two periods of the programme, at one venue."""
    periods = {
        year: PeriodFactory(programme=programme, slug=str(year), name=str(year))
        for year in range(2016, 2028)
    }
    found = {}
    for label, moment in MOMENTS.items():
        start = moment.astimezone(UTC)
        event = EventFactory(
            period=periods[moment.year],
            venue=venue,
            title_nb=label,
            start=start,
            end=start + DURATION,
        )
        found[event.uid] = (start, start + DURATION)
    return found


def test_the_moments_are_the_instants_they_say():
    assert len(MOMENTS) == 120
    first = MOMENTS["2026 first 02:30"].astimezone(UTC)
    second = MOMENTS["2026 second 02:30"].astimezone(UTC)
    assert second - first == timedelta(hours=1)
    assert MOMENTS["2016 september"].utcoffset() == timedelta(hours=2)
    assert MOMENTS["2016 before summer time"].utcoffset() == timedelta(hours=1)
    assert MOMENTS["2016 after summer time"].utcoffset() == timedelta(hours=2)


def test_the_programme_and_venue_feeds_read_the_same_instants_in_every_parser(
    client, programme, venue, expected
):
    responses = [
        client.get(reverse("events:programme_feed", args=[programme.slug])),
        client.get(reverse("events:venue_feed", args=[venue.pk])),
        client.get(reverse("events:programme_feed", args=[programme.slug]), {"lang": "en"}),
    ]
    assert [response.status_code for response in responses] == [200, 200, 200]
    for calendar, _ in read_calendars(*(response.content for response in responses)):
        assert instants(calendar) == expected


def test_each_single_event_download_reads_the_same_instant_in_every_parser(client, expected):
    # A download covers its event's year only: each is its VTIMEZONE's first year.
    uids = dict(Event.objects.values_list("uid", "pk"))
    responses = [client.get(reverse("events:event_ics", args=[uids[uid]])) for uid in expected]
    read = read_calendars(*(response.content for response in responses))
    for uid, (calendar, _) in zip(expected, read, strict=True):
        assert instants(calendar) == {uid: expected[uid]}


def test_the_time_zone_is_written_as_yearly_rules(client, programme, expected):
    calendar, _ = read_calendar(
        client.get(reverse("events:programme_feed", args=[programme.slug])).content
    )
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Oslo"
    text = timezone.to_ical().decode()
    assert "RDATE" not in text
    # As Google and Apple publish it: the first onset and the rule.
    assert "DTSTART:20160327T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "DTSTART:20161030T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text


def test_a_local_time_that_occurs_twice_is_written_in_utc(client, programme, expected):
    content = client.get(reverse("events:programme_feed", args=[programme.slug])).content
    calendar, _ = read_calendar(content)
    by_label = {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}
    # Both 02:30s: RFC 5545 reads a local 02:30 that night as the first, ical.js as the second.
    assert by_label["2026 first 02:30"]["DTSTART"].to_ical() == b"20261025T003000Z"
    assert by_label["2026 second 02:30"]["DTSTART"].to_ical() == b"20261025T013000Z"
    summer = by_label["2026 summer"]["DTSTART"]
    assert summer.params["TZID"] == "Europe/Oslo"
    assert summer.to_ical() == b"20260621T220000"


# The old time zone, and the reader that finds it wrong

# What the feeds wrote before: the daylight-saving component with its first onset in DTSTART
# and the later ones in RDATE (icalendar's Timezone.from_tzinfo). ical.js ignores a DTSTART
# when there are RDATEs, and so reads summer 2016 as winter time.
OLD_SHAPE = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Kulturvest//Kulturvest//NB\r
BEGIN:VTIMEZONE\r
TZID:Europe/Oslo\r
BEGIN:STANDARD\r
DTSTART:20160101T000000\r
TZNAME:CET\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0100\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:20160327T030000\r
RDATE:20170326T030000\r
TZNAME:CEST\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
DTSTART:20161030T030000\r
RDATE:20171029T030000\r
TZNAME:CET\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:first-summer@kulturvest\r
DTSTAMP:20160801T000000Z\r
DTSTART;TZID=Europe/Oslo:20160915T190000\r
DTEND;TZID=Europe/Oslo:20160915T210000\r
SUMMARY:September 2016\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:second-summer@kulturvest\r
DTSTAMP:20160801T000000Z\r
DTSTART;TZID=Europe/Oslo:20170915T190000\r
DTEND;TZID=Europe/Oslo:20170915T210000\r
SUMMARY:September 2017\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_the_old_time_zone_puts_the_first_summer_an_hour_off_in_ical_js():
    with pytest.raises(AssertionError) as disagreement:
        read_calendar(OLD_SHAPE)
    message = str(disagreement.value)
    assert "first-summer@kulturvest" in message
    assert "second-summer@kulturvest" not in message
    assert "icalendar 2016-09-15 17:00:00 - 2016-09-15 19:00:00" in message
    assert "vobject   2016-09-15 17:00:00 - 2016-09-15 19:00:00" in message
    assert "ical.js   2016-09-15 18:00:00 - 2016-09-15 20:00:00" in message


def test_a_time_zone_the_document_does_not_define_is_an_error():
    undefined = OLD_SHAPE.replace(b"TZID:Europe/Oslo\r\n", b"TZID:Europe/Bergen\r\n")
    with pytest.raises(AssertionError, match="ical.js could not read.*no VTIMEZONE"):
        read_calendar(undefined)


def test_without_node_the_feed_tests_fail_and_say_why(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install nodejs"):
        IcalJs()
