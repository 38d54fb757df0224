"""Registrations of events more than TICKETING_RETENTION_YEARS ago lose names and contacts;
payments, prices and check-ins stay as the accounts and visitor counts."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from core.retention import ANONYMOUS, apply_retention, retention_outlook
from events.models import Event
from ticketing.models import Checkin, Payment, Registration, Ticket
from ticketing.services import record_payment, redeem_ticket


def ended_days_ago(event, days):
    end = timezone.now() - timedelta(days=days)
    Event.objects.filter(pk=event.pk).update(start=end - timedelta(hours=2), end=end)


def runs_by_key(**kwargs):
    return {run.rule.key: run for run in apply_retention(**kwargs)}


def test_registrations_of_old_events_lose_names_and_contacts(
    make_registration, event, offer, checkin_list, host, settings
):
    settings.TICKETING_RETENTION_YEARS = 3
    offer.price = 150
    offer.save()
    registration = make_registration("Kari Nordmann", "Ola Nordmann", phone="+47 999 99 999")
    record_payment(registration=registration, reference="VIPPS-123", by=None)
    redeem_ticket(secret=registration.tickets.first().secret, checkin_list=checkin_list, user=host)
    assert Checkin.objects.get().answer  # the scan keeps the ticket as the host saw it
    ended_days_ago(event, 3 * 365 - 5)
    assert runs_by_key()["ticketing.past_event_registrations"].records == []
    assert Registration.objects.get().name == "Kari Nordmann"

    ended_days_ago(event, 3 * 366 + 1)
    run = runs_by_key()["ticketing.past_event_registrations"]

    assert run.cleared == 1
    registration = Registration.objects.get()
    assert (registration.name, registration.email, registration.phone) == (ANONYMOUS, "", "")
    assert set(Ticket.objects.values_list("attendee_name", flat=True)) == {ANONYMOUS}
    assert Checkin.objects.get().answer == {}
    # The accounts stay.
    assert Payment.objects.get().reference == "VIPPS-123"
    assert registration.code and registration.total is not None
    # A second run has nothing to do.
    assert runs_by_key()["ticketing.past_event_registrations"].records == []


def test_the_outlook_lists_ids_and_days_without_names(make_registration, event, settings):
    settings.TICKETING_RETENTION_YEARS = 3
    registration = make_registration("Kari Nordmann")
    ended_days_ago(event, 3 * 365 - 10)
    [outlook] = [
        o for o in retention_outlook() if o.rule.key == "ticketing.past_event_registrations"
    ]
    [pending] = outlook.upcoming
    assert (pending.kind, pending.pk) == ("ticketing.registration", registration.pk)
    assert timezone.localdate() < pending.due_on <= timezone.localdate() + timedelta(days=12)
    assert outlook.next_dates == [(pending.due_on, 1)]


def test_a_dry_run_lists_and_changes_nothing(make_registration, event):
    registration = make_registration("Kari Nordmann")
    ended_days_ago(event, 4 * 366)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"ticketing.registration#{registration.pk}" in out.getvalue()
    assert "Kari" not in out.getvalue()
    assert Registration.objects.get().name == "Kari Nordmann"
