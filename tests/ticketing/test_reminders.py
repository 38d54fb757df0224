"""Ticket holders are reminded before the event with their tickets, and a waitlist offer
not answered before it expires, by send_due_messages, end to end through SMTP and the SMS
provider: content, recipients, language, once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from core.reach import save_preference, unsubscribe
from tests.reminder_helpers import attachments, part, run, subject, texts_of
from ticketing.reminders import OFFERS, TICKETS
from ticketing.services import cancel_registration, decline_waitlist_offer

pytestmark = pytest.mark.django_db


def reminder_moment(event, settings):
    return event.start - timedelta(hours=settings.TICKET_REMINDER_HOURS)


def test_ticket_holders_get_their_tickets_again_the_day_before_once(
    make_registration, event, settings, smtp, twilio, django_capture_on_commit_callbacks
):
    sink, fake = smtp(), twilio()
    registration = make_registration("Kari Nordmann", "Ola Nordmann")
    user = get_user_model().objects.create_user("kari", email="kari@example.org")
    save_preference(user, language="", mobile="41234567", sms=True, email_enabled=True, muted=[])
    moment = reminder_moment(event, settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(TICKETS, moment - timedelta(minutes=1)) == 0  # not yet
        assert run(TICKETS, moment) == 2  # the email and the SMS
        assert run(TICKETS, moment) == 0
        assert run(TICKETS, moment + timedelta(minutes=1)) == 0
    (message,) = sink.received
    assert message["To"] == "kari@example.org"
    assert "Vårkonsert" in subject(message)
    text = part(message)
    assert "Kari Nordmann" in text and "Ola Nordmann" in text and registration.code in text
    # The same ticket email as at registration: two QR codes and the event as .ics.
    assert attachments(message).count("image/png") == 2
    assert "text/calendar" in attachments(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (sms,) = texts_of(fake)
    assert sms["To"] == "+4741234567" and registration.get_absolute_url() in sms["Body"]


def test_the_ticket_reminder_is_in_the_registrations_language(
    make_registration, event, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    make_registration("Kari Nordmann", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        run(TICKETS, reminder_moment(event, settings))
    (message,) = sink.received
    assert "Spring concert" in subject(message) and "Vårkonsert" not in subject(message)
    assert "Spring concert" in part(message)


def test_no_ticket_reminder_when_cancelled_muted_or_registered_after_the_moment(
    make_registration, event, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    cancelled = make_registration("A", email="a@example.org")
    cancel_registration(registration=cancelled, by=None)
    make_registration("B", email="b@example.org")
    unsubscribe("b@example.org", "reminder")
    moment = reminder_moment(event, settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(TICKETS, moment) == 0
    # Registered (and sent the tickets) after the reminder's moment: nothing more.
    late = make_registration("C", email="c@example.org")
    late.confirmed_at = moment + timedelta(hours=1)
    late.save(update_fields=["confirmed_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert run(TICKETS, moment + timedelta(hours=2)) == 0
    assert sink.received == []


@pytest.fixture
def offered(make_registration, pool, settings):
    """A full event whose first in line on the waitlist has just been offered a place."""
    settings.WAITLIST_OFFER_HOURS = 48
    holders = make_registration(*[f"H{n}" for n in range(10)])
    waiting = make_registration("Wenche Venter", join_waitlist=True, email="wenche@example.org")
    cancel_registration(registration=holders, by=None)
    waiting.refresh_from_db()
    assert waiting.has_open_waitlist_offer
    return waiting


def test_an_offer_not_answered_is_reminded_before_it_expires_once(
    offered, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    moment = offered.waitlist_offer_expires_at - timedelta(
        hours=settings.WAITLIST_OFFER_REMINDER_HOURS
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run(OFFERS, moment - timedelta(minutes=1)) == 0
        assert run(OFFERS, moment) == 1
        assert run(OFFERS, moment + timedelta(hours=1)) == 0
        # Expired: nothing.
        assert run(OFFERS, offered.waitlist_offer_expires_at) == 0
    (message,) = sink.received
    assert message["To"] == "wenche@example.org"
    assert offered.get_absolute_url() in part(message)
    assert message["List-Unsubscribe"]


def test_a_declined_offer_is_not_reminded(
    offered, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    moment = offered.waitlist_offer_expires_at - timedelta(hours=1)
    decline_waitlist_offer(registration=offered, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        run(OFFERS, moment)
    assert [m["To"] for m in sink.received if "wenche" in m["To"]] == []


def test_offers_no_longer_than_the_reminder_are_not_reminded(
    offered, settings, smtp, django_capture_on_commit_callbacks
):
    settings.WAITLIST_OFFER_HOURS = 12
    sink = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(OFFERS, offered.waitlist_offer_expires_at - timedelta(hours=1)) == 0
    assert sink.received == []
