"""Fixtures for ticketing: an event with a free offer in a pool of 10, and a check-in list."""

import pytest

from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, CheckinListFactory, OfferFactory
from ticketing.services import TicketRequest, register


@pytest.fixture
def event(db):
    return EventFactory(title_nb="Vårkonsert", title_en="Spring concert")


@pytest.fixture
def pool(event):
    return CapacityPoolFactory(event=event, name="Salen", size=10)


@pytest.fixture
def offer(event, pool):
    return OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)


@pytest.fixture
def checkin_list(event):
    return CheckinListFactory(event=event, name="Hoveddør")


@pytest.fixture
def make_registration(event, offer):
    """Register through the real service; names give one ticket each."""

    def make(*names, offer=offer, event=event, **kwargs):
        names = names or ("Kari Nordmann",)
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=name) for name in names],
            name=kwargs.pop("name", names[0]),
            email=kwargs.pop("email", "kari@example.org"),
            by=kwargs.pop("by", None),
            **kwargs,
        )

    return make


@pytest.fixture
def ticket(make_registration):
    return make_registration("Kari Nordmann").tickets.get()


@pytest.fixture
def host(venue_host, event):
    """A venue host assigned to the event."""
    event.hosts.add(venue_host)
    return venue_host
