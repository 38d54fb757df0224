"""Feed times across the daylight-saving changes of Europe/Oslo, read by two parsers.

icalendar knows Europe/Oslo by name; vobject reads the feed's own VTIMEZONE, so it also
checks that the VTIMEZONE covers every transition the feed's events need.
"""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
from django.urls import reverse

from tests.factories import OSLO, EventFactory, PeriodFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

MOMENTS = {
    "winter": datetime(2026, 1, 15, 12, 0, tzinfo=OSLO),
    "before spring forward": datetime(2026, 3, 29, 1, 30, tzinfo=OSLO),
    "after spring forward": datetime(2026, 3, 29, 3, 30, tzinfo=OSLO),
    "summer": datetime(2026, 7, 1, 12, 0, tzinfo=OSLO),
    "before fall back": datetime(2026, 10, 25, 1, 30, tzinfo=OSLO),
    "first 02:30 (summer time)": datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=0),
    "second 02:30 (winter time)": datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=1),
    "after fall back": datetime(2026, 10, 25, 3, 30, tzinfo=OSLO),
    "next summer": datetime(2027, 6, 20, 22, 0, tzinfo=OSLO),
    "summer two years on": datetime(2028, 8, 1, 9, 0, tzinfo=OSLO),
}


@pytest.fixture
def feed(client):
    programme = ProgrammeFactory(slug="sommer")
    period = PeriodFactory(programme=programme)
    uids = {}
    for label, moment in MOMENTS.items():
        start = moment.astimezone(UTC)
        uids[label] = EventFactory(
            period=period, title_nb=label, start=start, end=start + timedelta(minutes=45)
        ).uid
    response = client.get(reverse("events:programme_feed", args=[programme.slug]))
    assert response.status_code == 200
    return response.content, uids


def test_the_two_02_30s_are_different_instants():
    first = MOMENTS["first 02:30 (summer time)"].astimezone(UTC)
    second = MOMENTS["second 02:30 (winter time)"].astimezone(UTC)
    assert second - first == timedelta(hours=1)


def test_icalendar_reads_every_moment_at_the_same_instant(feed):
    content, uids = feed
    found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(content).walk("VEVENT")}
    for label, moment in MOMENTS.items():
        vevent = found[uids[label]]
        expected = moment.astimezone(UTC)
        assert vevent.decoded("DTSTART").astimezone(UTC) == expected, label
        assert vevent.decoded("DTEND").astimezone(UTC) == expected + timedelta(minutes=45), label


def test_vobject_reads_every_moment_at_the_same_instant(feed):
    content, uids = feed
    # vobject keeps the first VTIMEZONE it read for a TZID; make it read this feed's.
    vars(vobject.icalendar)["__tzidMap"].pop("Europe/Oslo", None)
    calendar = vobject.readOne(content.decode())
    found = {e.uid.value: e for e in calendar.vevent_list}
    for label, moment in MOMENTS.items():
        vevent = found[uids[label]]
        expected = moment.astimezone(UTC)
        assert vevent.dtstart.value.astimezone(UTC) == expected, label
        assert vevent.dtend.value.astimezone(UTC) == expected + timedelta(minutes=45), label


def test_times_are_local_with_a_vtimezone_covering_the_years(feed):
    content, uids = feed
    calendar = icalendar.Calendar.from_ical(content)
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Oslo"
    text = timezone.to_ical().decode()
    # Summer time starts on the last Sunday of March and ends on the last Sunday of October.
    for day in ("20260329", "20261025", "20270328", "20271031", "20280326", "20281029"):
        assert day in text, day
    summer = next(e for e in calendar.walk("VEVENT") if e["UID"] == uids["summer"])
    assert summer["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert summer["DTSTART"].to_ical() == b"20260701T120000"
