"""Retention in ticketing: registrations of long-past events lose names and contacts.

Kept: the registration's code, state, total and dates, its tickets' offers and prices, its
payments and check-ins (accounting records are kept for five years under bokføringsloven
§ 13; counts of visitors are statistics). Cleared: the buyer's name, email, phone, login
and the staff's comment, the names on the tickets and the ticket as each scanner was shown
it (which may hold the name).
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import questions
from core.mail import delete_messages_about
from core.retention import (
    ANONYMOUS,
    MEMBER_ERASURE,
    Pending,
    RetentionRule,
    cleared,
    declare_fields,
    due_years_after,
    kept,
    register_rule,
    start_of,
    years_before,
)
from ticketing.models import Checkin, Registration, Ticket

PAST_EVENT_REGISTRATIONS = "ticketing.past_event_registrations"

# A registration that still holds something that names or reaches its buyer.
_NOT_ANONYMOUS = (
    ~Q(name=ANONYMOUS) | ~Q(email="") | ~Q(phone="") | ~Q(comment="") | Q(user__isnull=False)
)


@transaction.atomic
def anonymise_registrations(registrations: QuerySet[Registration]) -> int:
    """Clear the names and contacts of registrations, their tickets and their scans.

    Safe to run twice; return how many registrations still held a name or a contact.
    """
    ids = list(registrations.values_list("pk", flat=True))
    changed = (
        Registration.objects.filter(pk__in=ids)
        .filter(_NOT_ANONYMOUS)
        .update(name=ANONYMOUS, email="", phone="", user=None, comment="")
    )
    Ticket.objects.filter(registration__in=ids).exclude(attendee_name=ANONYMOUS).update(
        attendee_name=ANONYMOUS
    )
    Checkin.objects.filter(ticket__registration__in=ids).exclude(answer={}).update(answer={})
    delete_messages_about(Registration, ids)  # the emails to them name them
    questions.forget_answers(Registration, ids)  # answers to the offers' own questions
    return changed


def _registrations_due(until: date) -> list[Pending]:
    years = settings.TICKETING_RETENTION_YEARS
    cutoff = start_of(years_before(until, years))
    rows = (
        Registration.objects.filter(event__end__lt=cutoff)
        .filter(_NOT_ANONYMOUS)
        .values_list("pk", "event__end")
        .order_by("event__end", "pk")
    )
    return [
        Pending(
            kind="ticketing.registration",
            pk=pk,
            due_on=due_years_after(timezone.localdate(end), years),
        )
        for pk, end in rows
    ]


def _clear_registrations(records: list[Pending]) -> int:
    return anonymise_registrations(Registration.objects.filter(pk__in=[r.pk for r in records]))


register_rule(
    RetentionRule(
        key=PAST_EVENT_REGISTRATIONS,
        title=_("Registrations of past events"),
        clears=_(
            "The buyer's name, email, phone and login, the staff's comment, the names on the "
            "tickets and the ticket as scanners were shown it."
        ),
        keeps=_(
            "Codes, states, totals, prices and payments (accounting records are kept for five "
            "years under bokføringsloven), and the check-ins as visitor counts."
        ),
        setting="TICKETING_RETENTION_YEARS",
        period=lambda: (
            _("%(years)s years after the event") % {"years": settings.TICKETING_RETENTION_YEARS}
        ),
        pending=_registrations_due,
        clear=_clear_registrations,
    )
)

# A member's registrations (member cards, master classes) are anonymised with the member.
_REGISTRATION_CLEARED = cleared(
    PAST_EVENT_REGISTRATIONS, MEMBER_ERASURE, "orchestra.departed_members"
)
_ACCOUNTING = _("Accounting: payments are kept for five years (bokføringsloven § 13).")
_STAFF_AUDIT = _("Audit trail: which staff member did it.")

declare_fields(
    "ticketing.CapacityPool",
    "id event name size",
)
declare_fields(
    "ticketing.Offer",
    "id event name_nb name_en description_nb description_en price pool sales_start sales_end"
    " valid_from valid_until requires_approval max_per_registration is_public position",
)
declare_fields(
    "ticketing.Registration",
    "id event code language state payment_state needs_approval approved_at total created_at"
    " confirmed_at cancelled_at waitlist_offer_expires_at waitlist_offer_declined form_key"
    " hold_expires_at",
    name=_REGISTRATION_CLEARED,
    email=_REGISTRATION_CLEARED,
    phone=_REGISTRATION_CLEARED,
    user=_REGISTRATION_CLEARED,
    comment=_REGISTRATION_CLEARED,
)
declare_fields(
    "ticketing.Payment",
    "id registration kind amount provider attempt created_at",
    reference=kept(_ACCOUNTING),
    recorded_by=kept(_STAFF_AUDIT),
)
declare_fields(
    "ticketing.PaymentAttempt",
    "id registration provider amount state redirect_url error created_at updated_at",
    reference=kept(_ACCOUNTING),
)
declare_fields(
    "ticketing.Ticket",
    "id registration offer attendee_is_child secret price cancelled_at created_at",
    attendee_name=_REGISTRATION_CLEARED,
)
declare_fields(
    "ticketing.CheckinList",
    "id event name all_offers include_sessions allow_multiple_entries allow_entry_after_exit",
)
declare_fields(
    "ticketing.Checkin",
    "id checkin_list ticket attempted_secret type successful reason nonce scanned_at"
    " received_at annulled_at",
    user=kept(_("Who scanned the ticket (a host or staff), for the check-in's audit.")),
    answer=_REGISTRATION_CLEARED,
)
