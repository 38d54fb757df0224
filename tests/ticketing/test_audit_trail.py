"""Ticketing's services leave one audit entry per change of a registration, with who did
it; the buyer's name and contacts never land in an entry (a retention rule clears them)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.audit import CHANGED, history_of
from core.models import AuditEntry
from ticketing.models import Offer
from ticketing.services import (
    accept_waitlist_offer,
    cancel_registration,
    cancel_ticket,
    expire_waitlist_offers,
    record_payment,
    record_refund,
)


def actions(registration):
    return [(entry.action, entry.actor) for entry in history_of(registration).order_by("pk")]


def test_registering_is_logged_without_the_buyer_s_name(make_registration, nobody):
    registration = make_registration("Kari Nordmann", by=nobody)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("ticketing.registration.created", nobody)
    assert entry.changes["name"] == CHANGED
    assert entry.changes["email"] == CHANGED
    assert entry.changes["state"] == [None, "confirmed"]
    assert entry.changes["tickets"] == [None, 1]
    assert "Kari" not in str(entry.changes) and "Kari" not in entry.object_repr
    assert entry.object_repr == f"registration {registration.pk}"


def test_payment_refund_and_cancelling_are_logged(event, pool, make_registration, admin_user):
    paid = Offer.objects.create(event=event, name_nb="Billett", pool=pool, price=Decimal("100"))
    registration = make_registration("Kari", offer=paid)
    record_payment(registration=registration, by=admin_user)
    cancel_registration(registration=registration, by=admin_user)
    record_refund(registration=registration, by=admin_user)
    assert actions(registration) == [
        ("ticketing.registration.created", None),
        ("ticketing.registration.paid", admin_user),
        ("ticketing.registration.cancelled", admin_user),
        ("ticketing.registration.refunded", admin_user),
    ]
    paid_entry = history_of(registration).get(action="ticketing.registration.paid")
    assert paid_entry.changes["payment_state"] == ["unpaid", "paid"]
    assert paid_entry.changes["amount"] == [None, "100.00"]


def test_cancelling_one_ticket_is_logged(make_registration, nobody):
    registration = make_registration("Kari", "Ola")
    cancel_ticket(ticket=registration.tickets.first(), by=nobody)
    assert actions(registration)[-1] == ("ticketing.registration.ticket_cancelled", nobody)


def test_the_waitlist_offer_its_acceptance_and_expiry_are_logged(make_registration, pool, nobody):
    pool.size = 1
    pool.save()
    first = make_registration("A")
    waiting = make_registration("B", join_waitlist=True, email="b@example.org")
    cancel_registration(registration=first, by=nobody)
    assert actions(waiting)[-1] == ("ticketing.registration.waitlist_offered", nobody)
    accept_waitlist_offer(registration=waiting, by=nobody)
    assert actions(waiting)[-1] == ("ticketing.registration.waitlist_offer_accepted", nobody)

    late = make_registration("C", join_waitlist=True, email="c@example.org")
    cancel_registration(registration=waiting, by=nobody)
    assert expire_waitlist_offers(now=timezone.now() + timedelta(days=30)) == 1
    assert actions(late)[-1] == ("ticketing.registration.waitlist_offer_expired", None)
