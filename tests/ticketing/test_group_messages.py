"""Ticketing's audience of messages to groups: the attendees of an event."""

import pytest

from core import audiences
from tests.factories import EventFactory
from tests.ticketing.factories import OfferFactory, register_one
from ticketing.services import cancel_registration

pytestmark = pytest.mark.django_db


def test_the_attendees_are_the_registrations_holding_places(django_assert_max_num_queries):
    event = EventFactory(title_nb="Konsert")
    offer = OfferFactory(event=event)
    ola, kari = register_one(offer, attendee_name="Ola"), register_one(offer, attendee_name="Kari")
    register_one(offer, attendee_name="Per")
    cancel_registration(registration=register_one(offer, attendee_name="Liv"), by=None)
    kari.language = "en"
    kari.save(update_fields=["language"])
    register_one(OfferFactory(), attendee_name="Annen")
    with django_assert_max_num_queries(2):
        found = audiences.recipients_of("ticketing.attendees", {"event": event.pk})
    assert [(r.label, r.email, r.language) for r in found] == [
        ("Ola Nordmann", "ola@example.org", "nb"),
        ("Kari Nordmann", "kari@example.org", "en"),
        ("Per Nordmann", "per@example.org", "nb"),
    ]
    assert ola.state in ("confirmed", "pending")
