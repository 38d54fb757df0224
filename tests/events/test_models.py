from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from events.exceptions import EventsError
from events.models import Event, Municipality
from events.services import cancel_event, reinstate_event
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_municipality_map_of_2017_is_shipped_as_data():
    names_2017 = set(
        Municipality.objects.filter(valid_to__year=2019).values_list("name", flat=True)
    )
    assert names_2017 == {
        "Asker", "Bærum", "Drammen", "Hole", "Hurum", "Krødsherad", "Lier", "Modum",
        "Nedre Eiker", "Ringerike", "Røyken", "Sande", "Sigdal", "Svelvik", "Øvre Eiker",
    }  # fmt: skip
    asker = Municipality.objects.get(number="0220")
    assert asker.county == "Akershus"
    assert asker.is_valid_on(asker.valid_to)
    assert not asker.is_valid_on(asker.valid_to + timedelta(days=1))


def test_event_keeps_uid_and_raises_revision_on_visible_change():
    event = EventFactory()
    uid = event.uid
    assert event.revision == 0
    event = Event.objects.get(pk=event.pk)
    event.title_nb = "Ny tittel"
    event.save()
    event.refresh_from_db()
    assert event.uid == uid
    assert event.revision == 1


def test_saving_without_visible_change_keeps_revision():
    event = Event.objects.get(pk=EventFactory().pk)
    event.save()
    event.refresh_from_db()
    assert event.revision == 0


def test_venue_address_change_raises_revision_of_its_events():
    venue = VenueFactory()
    event = EventFactory(venue=venue)
    venue.address = "Nygata 2"
    venue.save()
    event.refresh_from_db()
    assert event.revision == 1


def test_end_before_start_is_a_field_error():
    event = EventFactory.build()
    event.end = event.start - timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "end" in excinfo.value.message_dict


def test_session_of_a_session_is_refused():
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND)
    session = EventFactory(kind=Event.Kind.SESSION, parent=weekend, period=weekend.period)
    nested = EventFactory.build(kind=Event.Kind.SESSION, parent=session, period=weekend.period)
    with pytest.raises(ValidationError) as excinfo:
        nested.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_cancel_event_cascades_to_sessions_and_bumps_revision():
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND)
    session = EventFactory(kind=Event.Kind.SESSION, parent=weekend, period=weekend.period)
    cancel_event(event=weekend)
    weekend.refresh_from_db()
    session.refresh_from_db()
    assert weekend.is_cancelled and session.is_cancelled
    assert weekend.revision == 1 and session.revision == 1
    with pytest.raises(EventsError):
        cancel_event(event=weekend)
    reinstate_event(event=weekend)
    weekend.refresh_from_db()
    assert weekend.status == Event.Status.SCHEDULED
    assert weekend.revision == 2
