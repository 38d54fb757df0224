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


@pytest.fixture
def vipps(settings):
    """The fake Vipps ePayment API on 127.0.0.1, with the Vipps settings pointed at it."""
    from tests import fake_vipps

    fakes = []

    def start(**script):
        fake = fake_vipps.FakeVipps(**script)
        fakes.append(fake)
        settings.VIPPS_CLIENT_ID = fake_vipps.CLIENT_ID
        settings.VIPPS_CLIENT_SECRET = fake_vipps.CLIENT_SECRET
        settings.VIPPS_SUBSCRIPTION_KEY = fake_vipps.SUBSCRIPTION_KEY
        settings.VIPPS_MSN = fake_vipps.MSN
        settings.VIPPS_WEBHOOK_SECRET = fake_vipps.WEBHOOK_SECRET
        settings.VIPPS_API_URL = fake.url
        settings.PAYMENT_PROVIDER_TIMEOUT = 1
        return fake

    yield start
    for fake in fakes:
        fake.stop()


@pytest.fixture
def paid_offer(event, pool):
    return OfferFactory(event=event, name_nb="Voksen", name_en="Adult", pool=pool, price=150)
