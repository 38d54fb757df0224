"""Races on PostgreSQL with real threads, each on its own database connection.

50 people registering for 10 places at once, two scanners redeeming the same tickets at the
same moment, and a scanner retrying a nonce while the first request is still running.
"""

import pytest

from tests.concurrency import run_together
from tests.factories import EventFactory, UserFactory
from tests.ticketing.factories import CapacityPoolFactory, CheckinListFactory, OfferFactory
from ticketing.exceptions import CapacityError
from ticketing.models import Checkin, Registration, Ticket
from ticketing.selectors import places_left
from ticketing.services import TicketRequest, redeem_ticket, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_registrations_for_ten_places_take_exactly_ten():
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", pool=pool)

    def attempt(i):
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=f"Person {i}")],
            name=f"Person {i}",
            email=f"p{i}@example.org",
            by=None,
        )

    results = run_together(50, attempt)
    confirmed = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, CapacityError)]
    others = [r for r in results if not isinstance(r, Registration | CapacityError)]
    assert others == []
    assert len(confirmed) == 10
    assert len(refused) == 40
    assert Ticket.objects.count() == 10
    assert places_left([pool])[pool.pk] == 0


def test_concurrent_registrations_of_several_tickets_never_overbook_and_the_rest_wait():
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", pool=pool)

    def attempt(i):
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=f"P{i}-{n}") for n in range(3)],
            name=f"P{i}",
            email=f"p{i}@example.org",
            join_waitlist=True,
            by=None,
        )

    results = run_together(20, attempt)
    assert all(isinstance(r, Registration) for r in results), results
    states = [r.state for r in results]
    # Three groups of three fit in ten places; the rest wait, none is split.
    assert states.count(Registration.State.CONFIRMED) == 3
    assert states.count(Registration.State.WAITLISTED) == 17
    assert places_left([pool])[pool.pk] == 1


@pytest.mark.parametrize("round_", range(5))
def test_two_scanners_redeeming_the_same_tickets_at_once_get_one_ok_each(round_):
    event = EventFactory()
    offer = OfferFactory(event=event, name_nb="Inngang")
    checkin_list = CheckinListFactory(event=event, name="Dør")
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=f"P{n}") for n in range(10)],
        name="P",
        email="p@example.org",
        by=None,
    )
    scanners = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    for ticket in registration.tickets.all():

        def scan(i, secret=ticket.secret):
            return redeem_ticket(
                secret=secret,
                checkin_list=checkin_list,
                user=scanners[i],
                nonce=f"{secret}-{i}",
            )

        results = run_together(2, scan)
        assert not [r for r in results if isinstance(r, Exception)], results
        outcomes = sorted((r.answer["status"], r.answer["reason"] or "") for r in results)
        assert outcomes == [("error", "already_redeemed"), ("ok", "")]
    assert Checkin.objects.filter(successful=True).count() == 10


def test_a_retry_racing_its_first_request_records_one_checkin():
    event = EventFactory()
    offer = OfferFactory(event=event, name_nb="Inngang")
    checkin_list = CheckinListFactory(event=event, name="Dør")
    scanner = UserFactory(is_staff=True)
    tickets = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=f"P{n}") for n in range(10)],
        name="P",
        email="p@example.org",
        by=None,
    ).tickets.all()
    for ticket in tickets:

        def scan(_i, secret=ticket.secret):
            return redeem_ticket(
                secret=secret, checkin_list=checkin_list, user=scanner, nonce=f"n-{secret}"
            )

        first, second = run_together(2, scan)
        assert not isinstance(first, Exception) and not isinstance(second, Exception)
        assert first.answer == second.answer
        assert first.answer["status"] == "ok"
    assert Checkin.objects.count() == 10


def test_a_forged_code_retried_at_once_is_logged_once():
    event = EventFactory()
    checkin_list = CheckinListFactory(event=event, name="Dør")
    scanner = UserFactory(is_staff=True)

    def scan(_i):
        return redeem_ticket(
            secret="FORGEDFORGED", checkin_list=checkin_list, user=scanner, nonce="same"
        )

    results = run_together(4, scan)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.answer["reason"] for r in results} == {"invalid"}
    assert Checkin.objects.count() == 1
