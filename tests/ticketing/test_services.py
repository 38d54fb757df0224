"""Registration workflows: capacity, approval, payment, cancellation and the waitlist."""

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.exceptions import CapacityError, TicketingError
from ticketing.models import SECRET_ALPHABET, Offer, Registration, Ticket
from ticketing.selectors import offers_for_event, places_left
from ticketing.services import (
    TicketRequest,
    accept_waitlist_offer,
    approve_registration,
    cancel_registration,
    cancel_ticket,
    decline_waitlist_offer,
    expire_waitlist_offers,
    record_payment,
    record_refund,
    register,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _english():
    """Match the services' messages in English; the pages test the Norwegian."""
    with translation.override("en"):
        yield


def left(pool):
    return places_left([pool])[pool.pk]


def test_free_registration_is_confirmed_with_one_ticket_per_attendee(
    make_registration, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = make_registration("Kari Nordmann", "Ola Nordmann", name="Kari")
    assert registration.state == Registration.State.CONFIRMED
    assert registration.payment_state == Registration.Payment.FREE
    assert registration.confirmed_at is not None
    assert [t.attendee_name for t in registration.tickets.order_by("pk")] == [
        "Kari Nordmann",
        "Ola Nordmann",
    ]
    assert left(pool) == 8
    assert len(mail.outbox) == 1
    assert "Kari" in mail.outbox[0].body


def test_ticket_secrets_are_long_random_and_confusion_free(make_registration):
    secrets = [
        t.secret for t in make_registration(*[f"Person {n}" for n in range(10)]).tickets.all()
    ]
    assert len(set(secrets)) == 10
    for secret in secrets:
        assert len(secret) == 32
        assert set(secret) <= set(SECRET_ALPHABET)
        assert not set(secret) & set("0O1Il")
    # 32 symbols, 5 bits each: 160 bits, at least the 128 asked for.
    assert len(SECRET_ALPHABET) == 32


def test_registration_over_capacity_gets_the_waitlist_offer_never_a_ticket(make_registration, pool):
    make_registration(*[f"P{n}" for n in range(9)])
    with pytest.raises(CapacityError) as error:
        make_registration("A", "B")
    assert error.value.places_left == 1
    assert "1" in str(error.value)
    assert Registration.objects.count() == 1

    waiting = make_registration("A", "B", join_waitlist=True)
    assert waiting.state == Registration.State.WAITLISTED
    # Waiting registrations hold no places.
    assert left(pool) == 1


def test_offers_sharing_a_pool_share_its_places(event, pool):
    adult = OfferFactory(event=event, name_nb="Voksen", pool=pool, price=200)
    child = OfferFactory(event=event, name_nb="Barn", pool=pool, price=50)
    register(
        event=event,
        tickets=[TicketRequest(offer=adult, attendee_name=f"A{n}") for n in range(6)]
        + [TicketRequest(offer=child, attendee_name=f"C{n}") for n in range(4)],
        name="Skole",
        email="skole@example.org",
        by=None,
    )
    availability = {item.offer.pk: item.places_left for item in offers_for_event(event)}
    assert availability[adult.pk] == 0
    assert availability[child.pk] == 0
    with pytest.raises(CapacityError):
        register(
            event=event,
            tickets=[TicketRequest(offer=child, attendee_name="C")],
            name="X",
            email="x@example.org",
            by=None,
        )


def test_an_offer_without_a_pool_is_unlimited(event):
    offer = OfferFactory(event=event, name_nb="Fri")
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=f"P{n}") for n in range(10)],
        name="P",
        email="p@example.org",
        by=None,
    )
    assert registration.state == Registration.State.CONFIRMED
    assert offers_for_event(event)[0].places_left is None


def test_sales_window_public_flag_and_maximum_per_registration(event, pool):
    now = timezone.now()
    later = OfferFactory(
        event=event, name_nb="Senere", pool=pool, sales_start=now + timedelta(days=1)
    )
    over = OfferFactory(
        event=event, name_nb="Over", pool=pool, sales_end=now - timedelta(minutes=1)
    )
    hidden = OfferFactory(event=event, name_nb="Intern", pool=pool, is_public=False)
    small = OfferFactory(event=event, name_nb="Liten", pool=pool, max_per_registration=2)
    for offer in (later, over, hidden):
        with pytest.raises(TicketingError, match="not on sale"):
            register(
                event=event,
                tickets=[TicketRequest(offer=offer, attendee_name="A")],
                name="A",
                email="a@example.org",
                by=None,
            )
        # Staff may register outside the window and for offers that are not public.
        register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name="A")],
            name="A",
            email="a@example.org",
            staff=True,
            by=None,
        )
    with pytest.raises(TicketingError, match="At most 2"):
        register(
            event=event,
            tickets=[TicketRequest(offer=small, attendee_name=f"A{n}") for n in range(3)],
            name="A",
            email="a@example.org",
            by=None,
        )


def test_registration_needs_a_ticket_an_offer_of_the_event_and_a_scheduled_event(event, offer):
    other = OfferFactory(event=event, name_nb="x")
    elsewhere = OfferFactory(event=EventFactory(), name_nb="Annet")
    with pytest.raises(TicketingError):
        register(event=event, tickets=[], name="A", email="a@example.org", by=None)
    with pytest.raises(TicketingError, match="not for this event"):
        register(
            event=event,
            tickets=[TicketRequest(offer=elsewhere, attendee_name="A")],
            name="A",
            email="a@example.org",
            by=None,
        )
    event.status = event.Status.CANCELLED
    event.save()
    with pytest.raises(TicketingError, match="cancelled"):
        register(
            event=event,
            tickets=[TicketRequest(offer=other, attendee_name="A")],
            name="A",
            email="a@example.org",
            by=None,
        )


def test_approval_keeps_the_registration_pending_until_approved(
    event, pool, django_capture_on_commit_callbacks
):
    offer = OfferFactory(event=event, name_nb="Mesterklasse", pool=pool, requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
            name="Kari",
            email="kari@example.org",
            by=None,
        )
    assert registration.state == Registration.State.PENDING
    assert left(pool) == 9  # a pending registration holds its place
    assert "godkjennes" in mail.outbox[-1].body  # in the registration's language, Norwegian
    with django_capture_on_commit_callbacks(execute=True):
        approve_registration(registration=registration, by=None)
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED
    # The tickets come by email once approved: QR codes inline and the event as .ics.
    attachments = mail.outbox[-1].attachments
    assert any(getattr(a, "get_content_type", lambda: "")() == "image/png" for a in attachments)
    with pytest.raises(TicketingError):
        approve_registration(registration=registration, by=None)


def test_paid_registration_is_confirmed_when_paid_and_can_be_refunded(
    event, pool, admin_user, django_capture_on_commit_callbacks
):
    offer = OfferFactory(event=event, name_nb="Billett", pool=pool, price=Decimal("250"))
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=n) for n in ("A", "B")],
        name="A",
        email="a@example.org",
        by=None,
    )
    assert registration.total == Decimal("500")
    assert registration.state == Registration.State.PENDING
    assert registration.payment_state == Registration.Payment.UNPAID

    with django_capture_on_commit_callbacks(execute=True):
        record_payment(registration=registration, by=admin_user, reference="Vipps 123")
    registration.refresh_from_db()
    assert registration.payment_state == Registration.Payment.PAID
    assert registration.state == Registration.State.CONFIRMED
    payment = registration.payments.get()
    assert payment.amount == Decimal("500")
    assert payment.recorded_by == admin_user
    with pytest.raises(TicketingError, match="Nothing is owed"):
        record_payment(registration=registration, by=None)

    cancel_registration(registration=registration, by=None)
    record_refund(registration=registration, by=admin_user)
    registration.refresh_from_db()
    assert registration.payment_state == Registration.Payment.REFUNDED
    with pytest.raises(TicketingError):
        record_refund(registration=registration, by=None)


def test_cancelling_frees_the_places_and_offers_them_to_the_waitlist_in_order(
    make_registration, pool, django_capture_on_commit_callbacks, settings
):
    settings.WAITLIST_OFFER_HOURS = 24
    holders = [make_registration(f"H{n}") for n in range(10)]
    first = make_registration("W1", "W1b", join_waitlist=True, email="first@example.org")
    second = make_registration("W2", join_waitlist=True, email="second@example.org")

    # One place frees: the first in line needs two, and the second may not overtake.
    cancel_registration(registration=holders[0], by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.waitlist_offer_expires_at is None
    assert second.waitlist_offer_expires_at is None

    # A newcomer does not jump the queue for the free place either.
    with pytest.raises(CapacityError):
        make_registration("Newcomer")

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=holders[1], by=None)
    first.refresh_from_db()
    assert first.has_open_waitlist_offer
    expected = timezone.now() + timedelta(hours=24)
    assert abs(first.waitlist_offer_expires_at - expected) < timedelta(minutes=1)
    offer_mail = [m for m in mail.outbox if m.to == ["first@example.org"]][-1]
    assert first.get_absolute_url() in offer_mail.body
    # The offered places are held for the first in line.
    assert left(pool) == 0

    with django_capture_on_commit_callbacks(execute=True):
        accept_waitlist_offer(registration=first, by=None)
    first.refresh_from_db()
    assert first.state == Registration.State.CONFIRMED
    assert left(pool) == 0
    second.refresh_from_db()
    assert second.waitlist_offer_expires_at is None


def test_an_expired_offer_passes_to_the_next_person(make_registration, pool):
    holders = [make_registration(f"H{n}") for n in range(10)]
    first = make_registration("W1", join_waitlist=True)
    second = make_registration("W2", join_waitlist=True)
    cancel_registration(registration=holders[0], by=None)
    first.refresh_from_db()
    assert first.has_open_waitlist_offer

    later = first.waitlist_offer_expires_at + timedelta(seconds=1)
    with pytest.raises(TicketingError, match="expired"):
        accept_waitlist_offer(registration=first, now=later, by=None)
    assert expire_waitlist_offers(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Registration.State.CANCELLED
    assert second.waitlist_offer_expires_at is not None
    assert second.waitlist_offer_expires_at > later


def test_declining_passes_the_place_on(make_registration):
    holders = [make_registration(f"H{n}") for n in range(10)]
    first = make_registration("W1", join_waitlist=True)
    second = make_registration("W2", join_waitlist=True)
    cancel_registration(registration=holders[0], by=None)
    decline_waitlist_offer(registration=first, by=None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Registration.State.CANCELLED
    assert first.waitlist_offer_declined
    assert second.has_open_waitlist_offer


def test_expiry_command_reports_what_it_did(make_registration):
    holders = [make_registration(f"H{n}") for n in range(10)]
    waiting = make_registration("W1", join_waitlist=True)
    cancel_registration(registration=holders[0], by=None)
    Registration.objects.filter(pk=waiting.pk).update(
        waitlist_offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("expire_waitlist_offers", stdout=out)
    assert re.search(r"\b1\b", out.getvalue())
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CANCELLED


def test_cancelling_one_ticket_keeps_the_others_and_the_last_cancels_all(
    event, pool, make_registration
):
    offer = OfferFactory(event=event, name_nb="Billett", pool=pool, price=Decimal("100"))
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=n) for n in ("A", "B")],
        name="A",
        email="a@example.org",
        by=None,
    )
    first, second = registration.tickets.order_by("pk")
    cancel_ticket(ticket=first, by=None)
    registration.refresh_from_db()
    assert registration.state == Registration.State.PENDING
    assert registration.total == Decimal("100")
    assert left(pool) == 9
    with pytest.raises(TicketingError):
        cancel_ticket(ticket=first, by=None)
    cancel_ticket(ticket=second, by=None)
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED
    assert left(pool) == 10


def test_cancelled_registration_cannot_be_cancelled_again(make_registration):
    registration = make_registration()
    cancel_registration(registration=registration, by=None)
    with pytest.raises(TicketingError):
        cancel_registration(registration=registration, by=None)
    assert Ticket.objects.filter(cancelled_at__isnull=True).count() == 0


def test_pool_of_another_event_is_refused(event):
    from django.core.exceptions import ValidationError

    foreign = CapacityPoolFactory(event=EventFactory(), name="Annen", size=5)
    offer = Offer(event=event, name_nb="X", pool=foreign)
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "pool" in error.value.message_dict
