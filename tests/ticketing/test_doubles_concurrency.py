"""The same registration form sent twice at the same moment, on PostgreSQL with real threads:
one registration, and both requests answer with it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.concurrency import run_together
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import SECRET_LENGTH, Registration, Ticket
from ticketing.selectors import places_left
from ticketing.services import TicketRequest, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("with_pool", [True, False], ids=["pool", "unlimited"])
@pytest.mark.parametrize("round_", range(3))
def test_one_form_key_sent_at_once_makes_one_registration(with_pool, round_):
    """With a pool the second waits for its lock; without one nothing is locked and the
    unique constraint on (event, form_key) decides on insert."""
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, name="Salen", size=10) if with_pool else None
    offer = OfferFactory(event=event, name_nb="Inngang", pool=pool)
    key = f"R{round_}".ljust(SECRET_LENGTH, "K")

    def attempt(_i):
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
            name="Kari",
            email="kari@example.org",
            by=None,
            form_key=key,
            check_same_email=True,
        )

    results = run_together(4, attempt)
    assert all(isinstance(r, Registration) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Registration.objects.count() == 1
    assert Ticket.objects.count() == 1
    if pool:
        assert places_left([pool])[pool.pk] == 9


def test_two_posts_of_one_rendered_form_at_once_land_on_the_same_registration():
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", pool=pool)
    url = reverse("ticketing:register", args=[event.pk])
    html = Client().get(url).content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        f"quantity_{offer.pk}": 2,
        "form_key": key,
    }

    def post(_i):
        return Client().post(url, data)

    first, second = run_together(2, post)
    assert first.status_code == second.status_code == 302, (first, second)
    registration = Registration.objects.get()
    assert first["Location"] == second["Location"] == registration.get_absolute_url()
    assert places_left([pool])[pool.pk] == 8
