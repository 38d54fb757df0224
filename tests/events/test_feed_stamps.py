# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Every field a programme's feed shows changes it, whichever way it is written (the admin,
a spreadsheet import, a service), and writes it does not show leave it cached: the change
stamps of events.stamps, seen from the feed."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artists.services.profiles import update_profile
from core.demo import OSLO
from events.models import Event, Venue
from events.resources import EventResource, VenueResource
from events.services import cancel_event, reinstate_event
from tests.artists.factories import new_artist
from tests.events.test_feeds import event, feed_url, period, programme, venue  # noqa: F401
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, VenueFactory
from tests.queries import tables_read, tables_with_stamps
from tests.staff_writes import change_in_admin, reimported
from tests.ticketing.factories import OfferFactory, register_one

pytestmark = pytest.mark.django_db


def feeds(client, programme):
    """The feed in both languages: {language: response}."""
    return {
        language: client.get(feed_url(programme), {"lang": language}) for language in ("nb", "en")
    }


def assert_the_feed_shows(client, programme, change, *, shown=(), gone=()):
    before = feeds(client, programme)
    change()
    for language, first in before.items():
        after = client.get(
            feed_url(programme), {"lang": language}, headers={"if_none_match": first["ETag"]}
        )
        assert after.status_code == 200, f"the {language} feed did not change"
        assert after["ETag"] != first["ETag"]
    # Unfolded: long lines go on over several (RFC 5545, 3.1).
    text = {
        language: response.content.decode().replace("\r\n ", "")
        for language, response in feeds(client, programme).items()
    }
    for language, snippet in shown:
        assert snippet in text[language], (language, snippet)
    for language, snippet in gone:
        assert snippet not in text[language], (language, snippet)


def test_the_feed_reads_only_tables_whose_writes_bump_stamps(client, programme, event):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(feed_url(programme)).status_code == 200
    assert tables_read(queries.captured_queries) - {"core_changestamp"} <= tables_with_stamps()


# Through the admin -------------------------------------------------------------------------

EVENT_FIELDS = {
    "title_nb": ("Vernissasje", ("nb", "SUMMARY:Vernissasje")),
    "title_en": ("Private view", ("en", "SUMMARY:Private view")),
    "description_nb": ("Gratis inngang", ("nb", "Gratis inngang")),
    "description_en": ("Free entry", ("en", "Free entry")),
    "start_1": ("17:30:00", ("nb", "DTSTART;TZID=Europe/Oslo:20260612T173000")),
    "end_1": ("22:15:00", ("nb", "DTEND;TZID=Europe/Oslo:20260612T221500")),
}


@pytest.mark.parametrize("field", EVENT_FIELDS)
def test_each_event_field_changed_in_the_admin_changes_the_feed(
    client, programme, event, admin_user, field
):
    value, (language, shown) = EVENT_FIELDS[field]

    change = change_in_admin(
        client, admin_user, reverse("admin:events_event_change", args=[event.pk]), {field: value}
    )

    assert_the_feed_shows(client, programme, change, shown=[(language, shown)])


def test_another_venue_chosen_in_the_admin_changes_the_feed(client, programme, event, admin_user):
    other = VenueFactory(name="Kulturhuset", address="Torget 2", postcode="3017", place="Drammen")

    url = reverse("admin:events_event_change", args=[event.pk])
    change = change_in_admin(client, admin_user, url, {"venue": str(other.pk)})

    assert_the_feed_shows(
        client, programme, change, shown=[("nb", "Kulturhuset")], gone=[("nb", "Galleri Vest")]
    )


def test_a_parent_event_set_in_the_admin_changes_the_feed(
    client, programme, period, event, admin_user
):
    festival = EventFactory(period=period, title_nb="Festivalen")

    url = reverse("admin:events_event_change", args=[event.pk])
    change = change_in_admin(client, admin_user, url, {"parent": str(festival.pk)})

    assert_the_feed_shows(
        client, programme, change, shown=[("nb", f"RELATED-TO;RELTYPE=PARENT:{festival.uid}")]
    )


@pytest.mark.parametrize(
    "changes",
    [{"visibility": Event.Visibility.STAFF}, {"period": "another programme"}],
    ids=["made staff-only", "moved to another programme"],
)
def test_an_event_leaving_the_feed_in_the_admin_changes_it(
    client, programme, event, admin_user, changes
):
    elsewhere = PeriodFactory(programme=ProgrammeFactory(slug="annet"), slug="2026")
    other_url = feed_url(elsewhere.programme)
    other_before = client.get(other_url)
    if changes.get("period"):
        changes = {"period": str(elsewhere.pk)}

    url = reverse("admin:events_event_change", args=[event.pk])
    change = change_in_admin(client, admin_user, url, changes)

    assert_the_feed_shows(client, programme, change, gone=[("nb", event.uid)])
    if "period" in changes:
        # The programme it moved to shows it at once too.
        moved = client.get(other_url, headers={"if_none_match": other_before["ETag"]})
        assert moved.status_code == 200
        assert event.uid in moved.content.decode()


VENUE_FIELDS = {
    "name": ("Galleri Øst", "Galleri Øst"),
    "address": ("Bragernes torg 3", "Bragernes torg 3"),
    "postcode": ("3017", "3017 Drammen"),
    "place": ("Mjøndalen", "3015 Mjøndalen"),
    "latitude": ("59.800000", "GEO:59.8;"),
    "longitude": ("10.300000", ";10.3"),
}


@pytest.mark.parametrize("field", VENUE_FIELDS)
def test_each_venue_field_changed_in_the_admin_changes_the_feed(
    client, programme, event, venue, admin_user, field
):
    value, shown = VENUE_FIELDS[field]

    change = change_in_admin(
        client, admin_user, reverse("admin:events_venue_change", args=[venue.pk]), {field: value}
    )

    assert_the_feed_shows(client, programme, change, shown=[("nb", shown)])


# Through an import -------------------------------------------------------------------------


def test_event_fields_changed_by_an_import_change_the_feed(client, programme, event):
    other = VenueFactory(name="Kulturhuset")

    def change():
        reimported(
            EventResource(),
            Event.objects.filter(pk=event.pk),
            title_nb="Importert åpning",
            title_en="Imported opening",
            start="2026-06-12 17:00",
            end="2026-06-12 23:00",
            venue=str(other.pk),
        )

    assert_the_feed_shows(
        client,
        programme,
        change,
        shown=[
            ("nb", "SUMMARY:Importert åpning"),
            ("en", "SUMMARY:Imported opening"),
            ("nb", "DTSTART;TZID=Europe/Oslo:20260612T170000"),
            ("nb", "DTEND;TZID=Europe/Oslo:20260612T230000"),
            ("nb", "Kulturhuset"),
        ],
    )


def test_venue_fields_changed_by_an_import_change_the_feed(client, programme, event, venue):
    def change():
        reimported(
            VenueResource(),
            Venue.objects.filter(pk=venue.pk),
            name="Importgalleriet",
            address="Nedre storgate 9",
            latitude="59.7",
        )

    assert_the_feed_shows(
        client,
        programme,
        change,
        shown=[("nb", "Importgalleriet"), ("nb", "Nedre storgate 9"), ("nb", "GEO:59.7;")],
    )


# Through a service -------------------------------------------------------------------------


def test_a_cancelled_and_reinstated_event_changes_the_feed(client, programme, period, venue):
    # Ahead: a cancelled event stays in feeds until 30 days after its end.
    start = timezone.now() + timedelta(days=7)
    event = EventFactory(period=period, venue=venue, start=start, end=start + timedelta(hours=2))
    assert_the_feed_shows(
        client, programme, lambda: cancel_event(event=event), shown=[("nb", "STATUS:CANCELLED")]
    )
    assert_the_feed_shows(
        client, programme, lambda: reinstate_event(event=event), gone=[("nb", "STATUS:CANCELLED")]
    )


def test_a_new_and_a_deleted_event_change_the_feed(client, programme, period, event):
    added = {}

    def add():
        added["event"] = EventFactory(
            period=period,
            title_nb="Ekstra omvisning",
            start=datetime(2026, 6, 13, 12, 0, tzinfo=OSLO),
            end=datetime(2026, 6, 13, 13, 0, tzinfo=OSLO),
        )

    assert_the_feed_shows(client, programme, add, shown=[("nb", "Ekstra omvisning")])
    assert_the_feed_shows(
        client, programme, lambda: added["event"].delete(), gone=[("nb", "Ekstra omvisning")]
    )


# Writes the feed does not show --------------------------------------------------------------


def test_writes_the_feed_does_not_show_do_not_rebuild_it(client, programme, event):
    first = client.get(feed_url(programme))
    elsewhere = PeriodFactory(programme=ProgrammeFactory(slug="annet"), slug="2026")
    concert = EventFactory(period=elsewhere, venue=None, title_nb="Konsert et annet sted")
    concert.title_nb = "Flyttet konsert"
    concert.save()
    offer = OfferFactory(event=event, name_nb="Inngang")
    register_one(offer)
    artist = new_artist("Anne Akvarell")
    update_profile(artist=artist, by=artist.user, values={"name": "Anne Olje"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get(feed_url(programme), headers={"if_none_match": first["ETag"]})
    assert again.status_code == 304
    programme_query, stamps_query = queries.captured_queries
    assert tables_read([programme_query]) == {"events_programme"}
    assert tables_read([stamps_query]) == {"core_changestamp"}
