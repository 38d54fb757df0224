"""Ticketing's webhook events (core.webhooks), each emitted by its service, with payloads of
ids, states and times: never a buyer's or an attendee's name, email or phone."""

import pytest

from tests.webhooks import subscribe
from ticketing.services import cancel_registration, redeem_ticket

pytestmark = pytest.mark.django_db

PRIVATE = ("Kari Nordmann", "Ola Nordmann", "kari@example.org", "+47 900 00 000")


def assert_private(receiver):
    for request in receiver.received:
        body = request["body"].decode()
        for value in PRIVATE:
            assert value not in body


@pytest.fixture
def receiver(webhook_receiver):
    receiver = webhook_receiver()
    subscribe(
        receiver,
        "registration.created",
        "registration.cancelled",
        "registration.waitlist_offered",
        "ticket.checked_in",
    )
    return receiver


def test_registration_created_and_cancelled(
    receiver, make_registration, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = make_registration("Kari Nordmann", "Ola Nordmann", phone="+47 900 00 000")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=registration, by=admin_user)
    (created,) = receiver.payloads("registration.created")
    assert created["data"] == {
        "id": registration.pk,
        "event": registration.event_id,
        "state": "confirmed",
        "created_at": created["data"]["created_at"],
        "confirmed_at": created["data"]["confirmed_at"],
        "cancelled_at": None,
        "waitlist_offer_expires_at": None,
    }
    (cancelled,) = receiver.payloads("registration.cancelled")
    assert cancelled["data"]["state"] == "cancelled"
    assert all(request["signed"] for request in receiver.received)
    assert_private(receiver)


def test_waitlist_offered(
    receiver, make_registration, pool, admin_user, django_capture_on_commit_callbacks
):
    pool.size = 1
    pool.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = make_registration("Kari Nordmann")
        waiting = make_registration("Ola Nordmann", join_waitlist=True)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=first, by=admin_user)
    (offered,) = receiver.payloads("registration.waitlist_offered")
    assert offered["data"]["id"] == waiting.pk
    assert offered["data"]["state"] == "waitlisted"
    assert offered["data"]["waitlist_offer_expires_at"]
    assert_private(receiver)


def test_ticket_checked_in_once_per_entry(
    receiver, ticket, checkin_list, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
        # Refused (already in): no event.
        redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    (checked_in,) = receiver.payloads("ticket.checked_in")
    assert checked_in["data"]["ticket"] == ticket.pk
    assert checked_in["data"]["registration"] == ticket.registration_id
    assert checked_in["data"]["event"] == checkin_list.event_id
    assert checked_in["data"]["checkin_list"] == checkin_list.pk
    assert ticket.secret not in receiver.received[-1]["body"].decode()
    assert_private(receiver)
