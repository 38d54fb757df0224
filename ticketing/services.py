"""Workflows of ticketing: register, approve, pay, cancel, the waitlist, and check-in."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import created, diff, field_values, log_action, log_actions
from core.mail import queue_in_transaction
from core.webhooks import emit
from events.models import Event
from ticketing import emails, selectors, webhooks
from ticketing.exceptions import AlreadyRegistered, CapacityError, TicketingError
from ticketing.models import (
    CapacityPool,
    Checkin,
    CheckinList,
    Offer,
    Payment,
    Registration,
    Ticket,
    normalize_code,
)
from ticketing.selectors import (
    attendee_label,
    list_admits,
    list_status,
    may_see_child_names,
    places_left,
    scan_state,
)

# Registrations --------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketRequest:
    """One ticket asked for: the offer and the attendee's name."""

    offer: Offer
    attendee_name: str
    attendee_is_child: bool = False


def waitlist_offer_hours() -> int:
    return settings.WAITLIST_OFFER_HOURS


@transaction.atomic
def register(
    *,
    event: Event,
    tickets: list[TicketRequest],
    name: str,
    email: str,
    phone: str = "",
    user=None,
    by,
    language: str = "nb",
    join_waitlist: bool = False,
    staff: bool = False,
    notify: bool = True,
    now: datetime | None = None,
    form_key: str = "",
    check_same_email: bool = False,
) -> Registration:
    """Register for an event: hold the places and issue the tickets, or join the waitlist.

    ``form_key`` (the key of the rendered form, or an API request's Idempotency-Key): a
    registration made with the same key for the event before is returned as it is, with
    ``replayed`` set on it, and nothing is registered, even when both arrive at once. With
    ``check_same_email``, an email address (in any case) with a registration for the event
    that is not cancelled raises AlreadyRegistered: the person confirms they mean another.

    Preconditions: every offer belongs to the event and is on sale (staff may register
    outside the sales window and for offers that are not public); at least one ticket; no
    more tickets of an offer than its maximum per registration. When the places left are
    fewer than the tickets asked for, a CapacityError says how many are left, unless
    `join_waitlist` is set: then the registration waits for places, all or none. The buyer
    gets an email after commit unless `notify` is off (the demo loader, imports).

    The capacity pools' rows are locked for the length of the transaction, so concurrent
    registrations are counted one after the other and never take more places than exist.
    """
    now = now or timezone.now()
    # The same form again answers as it did, even when the sale has ended since.
    if earlier := _registered_with_form_key(event, form_key):
        return earlier
    if not tickets:
        raise TicketingError(_("Choose at least one ticket."))
    per_offer: dict[int, int] = {}
    for request in tickets:
        offer = request.offer
        if offer.event_id != event.pk:
            raise TicketingError(_("This offer is not for this event."))
        if not staff and (not offer.is_public or not offer.on_sale(now)):
            raise TicketingError(_("“%(offer)s” is not on sale now.") % {"offer": offer.name})
        if not request.attendee_name.strip():
            raise TicketingError(_("Give the name of every attendee."))
        per_offer[offer.pk] = per_offer.get(offer.pk, 0) + 1
        if per_offer[offer.pk] > offer.max_per_registration:
            raise TicketingError(
                ngettext(
                    "At most %(count)d ticket of “%(offer)s” per registration.",
                    "At most %(count)d tickets of “%(offer)s” per registration.",
                    offer.max_per_registration,
                )
                % {"count": offer.max_per_registration, "offer": offer.name}
            )
    if event.is_cancelled:
        raise TicketingError(_("The event is cancelled."))

    # Lock the pools in a fixed order, so two registrations never wait for each other.
    pool_ids = sorted({r.offer.pool_id for r in tickets if r.offer.pool_id})
    pools = list(CapacityPool.objects.select_for_update().filter(pk__in=pool_ids).order_by("pk"))
    # Asked again now that the pools are ours: the same form sent twice at once waits here.
    if earlier := _registered_with_form_key(event, form_key):
        return earlier
    if check_same_email and active_registrations_of(event, email).exists():
        raise AlreadyRegistered(_("You are already registered for this event."))
    left = places_left(pools, now=now)
    wanted = places_wanted(request.offer for request in tickets)
    short = [pool_id for pool_id, count in wanted.items() if count > left[pool_id]]
    # Places freed while others wait belong to the waitlist first.
    waiting = Registration.objects.filter(
        event=event, state=Registration.State.WAITLISTED, tickets__offer__pool_id__in=pool_ids
    ).exists()
    full = bool(short) or waiting
    if full and not join_waitlist:
        fewest = 0 if waiting else min(left[pool_id] for pool_id in short)
        if fewest:
            message = ngettext(
                "Only %(count)d place is left. Ask for fewer, or join the waitlist.",
                "Only %(count)d places are left. Ask for fewer, or join the waitlist.",
                fewest,
            ) % {"count": fewest}
        else:
            message = _("The event is full. You can join the waitlist.")
        raise CapacityError(message, places_left=fewest)

    total = sum((request.offer.price for request in tickets), Decimal("0"))
    needs_approval = any(request.offer.requires_approval for request in tickets)
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        user=user if user is not None and user.is_authenticated else None,
        language=language,
        needs_approval=needs_approval,
        total=total,
        payment_state=Registration.Payment.FREE if total == 0 else Registration.Payment.UNPAID,
        created_at=now,
        form_key=form_key,
    )
    if full:
        registration.state = Registration.State.WAITLISTED
    elif needs_approval or total > 0:
        registration.state = Registration.State.PENDING
    else:
        registration.state = Registration.State.CONFIRMED
        registration.confirmed_at = now
    # The form key's constraint is the database's to check: a request with the same key in
    # another transaction (an offer without a pool locks nothing) is seen only on insert.
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        if earlier := _registered_with_form_key(event, form_key):
            return earlier
        raise
    Ticket.objects.bulk_create(
        [
            Ticket(
                registration=registration,
                offer=request.offer,
                attendee_name=request.attendee_name.strip(),
                attendee_is_child=request.attendee_is_child,
                price=request.offer.price,
                created_at=now,
            )
            for request in tickets
        ]
    )
    log_action(
        registration,
        "ticketing.registration.created",
        by,
        changes={
            **created(registration, ["event", "state", "total", "name", "email", "phone"]),
            "tickets": [None, len(tickets)],
        },
    )
    emit(webhooks.REGISTRATION_CREATED, registration)
    if notify:
        queue_in_transaction(emails.send_registration_received, registration.pk)
    return registration


def _registered_with_form_key(event: Event, form_key: str) -> Registration | None:
    if not form_key:
        return None
    earlier = Registration.objects.filter(event=event, form_key=form_key).first()
    if earlier is not None:
        earlier.replayed = True
    return earlier


def active_registrations_of(event: Event, email: str):
    """The registrations for the event, not cancelled, of an email address in any case."""
    return Registration.objects.filter(event=event, email__iexact=email.strip()).exclude(
        state=Registration.State.CANCELLED
    )


RESEND_SALT = "ticketing.registration.resend"


def resend_manage_links(*, event: Event, email: str, form_key: str, by) -> int:
    """Send the email with the manage link of each active registration of ``email`` again.

    Asked for from a registration form (its key): the same form asking twice sends once.
    The message goes to the registration's own address, never to another. Returns how many
    registrations' emails were queued (the page does not tell the person).
    """
    # The occasion stands for the form without naming its key (a secret of the browser).
    occasion = "again-" + salted_hmac(RESEND_SALT, form_key).hexdigest()[:20]
    registrations = list(active_registrations_of(event, email).order_by("pk"))
    with transaction.atomic():
        for registration in registrations:
            log_action(registration, "ticketing.registration.link_asked_again", by)
            queue_in_transaction(emails.send_manage_link_again, registration.pk, occasion)
    return len(registrations)


def places_wanted(offers) -> Counter:
    """Return how many places the offers (one per ticket) take from each pool."""
    return Counter(offer.pool_id for offer in offers if offer.pool_id)


def _lock(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _confirm_if_ready(registration: Registration, *, now) -> bool:
    """Confirm a pending registration once approved (if needed) and paid (if not free)."""
    if registration.state != Registration.State.PENDING:
        return False
    if registration.needs_approval and registration.approved_at is None:
        return False
    if registration.payment_state == Registration.Payment.UNPAID:
        return False
    registration.state = Registration.State.CONFIRMED
    registration.confirmed_at = now
    return True


@transaction.atomic
def approve_registration(
    *, registration: Registration, by, notify: bool = True, now=None
) -> Registration:
    """Approve a registration that needs approval; it is confirmed if nothing else is owed."""
    now = now or timezone.now()
    registration = _lock(registration)
    if not registration.needs_approval or registration.approved_at is not None:
        raise TicketingError(_("This registration needs no approval."))
    if registration.state != Registration.State.PENDING:
        raise TicketingError(_("Only a pending registration can be approved."))
    before = field_values(registration, ["state"])
    registration.approved_at = now
    confirmed = _confirm_if_ready(registration, now=now)
    registration.save(update_fields=["approved_at", "state", "confirmed_at"])
    log_action(
        registration, "ticketing.registration.approved", by, changes=diff(registration, before)
    )
    if confirmed and notify:
        queue_in_transaction(emails.send_tickets, registration.pk)
    return registration


def _update_payment_state(registration: Registration) -> None:
    paid, refunded = selectors.payment_totals(registration)
    if registration.total == 0 and paid == 0:
        registration.payment_state = Registration.Payment.FREE
    elif refunded > 0 and refunded >= paid:
        registration.payment_state = Registration.Payment.REFUNDED
    elif paid - refunded >= registration.total or (refunded > 0 and paid >= registration.total):
        # Paid in full (a partial refund afterwards, a goodwill one, leaves it paid).
        registration.payment_state = Registration.Payment.PAID
    else:
        registration.payment_state = Registration.Payment.UNPAID


@transaction.atomic
def record_payment(
    *,
    registration: Registration,
    by,
    amount: Decimal | None = None,
    provider: str = "manual",
    reference: str = "",
    attempt=None,
    now=None,
) -> Registration:
    """Record a payment (by default the amount owed); a paid registration is confirmed.

    ``attempt``: the online payment (PaymentAttempt) it came from; ticketing.payments
    records those, once each.
    """
    now = now or timezone.now()
    registration = _lock(registration)
    if registration.state in (Registration.State.CANCELLED, Registration.State.WAITLISTED):
        raise TicketingError(_("A cancelled or waitlisted registration cannot be paid."))
    if registration.payment_state in (Registration.Payment.FREE, Registration.Payment.PAID):
        raise TicketingError(_("Nothing is owed on this registration."))
    owed = registration.total - selectors.paid_amount(registration)
    amount = owed if amount is None else amount
    if amount <= 0:
        raise TicketingError(_("The amount must be more than 0."))
    before = field_values(registration, ["state", "payment_state"])
    Payment.objects.create(
        registration=registration,
        kind=Payment.Kind.PAYMENT,
        amount=amount,
        provider=provider,
        reference=reference,
        recorded_by=by,
        attempt=attempt,
        created_at=now,
    )
    _update_payment_state(registration)
    confirmed = _confirm_if_ready(registration, now=now)
    registration.save(update_fields=["payment_state", "state", "confirmed_at"])
    log_action(
        registration,
        "ticketing.registration.paid",
        by,
        changes={**diff(registration, before), "amount": [None, amount], "provider": provider},
    )
    if confirmed:
        queue_in_transaction(emails.send_tickets, registration.pk)
    return registration


@transaction.atomic
def record_refund(
    *,
    registration: Registration,
    by,
    amount: Decimal | None = None,
    provider: str = "manual",
    reference: str = "",
    attempt=None,
    now=None,
) -> Registration:
    """Record a refund: everything paid on a registration, or ``amount`` of it. It does not
    cancel it: do that first. A refund through an online provider: ticketing.payments."""
    now = now or timezone.now()
    registration = _lock(registration)
    paid = selectors.paid_amount(registration)
    if paid <= 0:
        raise TicketingError(_("Nothing has been paid on this registration."))
    amount = paid if amount is None else amount
    if amount <= 0 or amount > paid:
        raise TicketingError(
            _("The refund must be more than 0 and at most %(paid)s.") % {"paid": paid}
        )
    paid = amount
    before = field_values(registration, ["payment_state"])
    Payment.objects.create(
        registration=registration,
        kind=Payment.Kind.REFUND,
        amount=paid,
        provider=provider,
        reference=reference,
        recorded_by=by,
        attempt=attempt,
        created_at=now,
    )
    _update_payment_state(registration)
    registration.save(update_fields=["payment_state"])
    log_action(
        registration,
        "ticketing.registration.refunded",
        by,
        changes={**diff(registration, before), "amount": [None, paid], "provider": provider},
    )
    return registration


@transaction.atomic
def cancel_registration(
    *,
    registration: Registration,
    by,
    now=None,
    action: str = "cancelled",
    notify: bool = True,
) -> Registration:
    """Cancel a registration and its tickets; freed places go to the waitlist.

    ``action`` names the audit entry's last part (a declined waitlist offer, a last
    ticket cancelled, a payment hold expired). Without ``notify`` the caller sends its own
    email.
    """
    now = now or timezone.now()
    registration = _lock(registration)
    if registration.is_cancelled:
        raise TicketingError(_("The registration is already cancelled."))
    before = field_values(registration, ["state"])
    registration.state = Registration.State.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["state", "cancelled_at"])
    registration.tickets.filter(cancelled_at__isnull=True).update(cancelled_at=now)
    log_action(
        registration, f"ticketing.registration.{action}", by, changes=diff(registration, before)
    )
    emit(webhooks.REGISTRATION_CANCELLED, registration)
    if notify:
        queue_in_transaction(emails.send_registration_cancelled, registration.pk)
    offer_freed_places(event=registration.event, by=by, now=now)
    return registration


@transaction.atomic
def cancel_ticket(*, ticket: Ticket, by, now=None) -> Ticket:
    """Cancel one ticket of a registration; the last one cancels the registration."""
    now = now or timezone.now()
    registration = _lock(ticket.registration)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.is_cancelled or registration.is_cancelled:
        raise TicketingError(_("The ticket is already cancelled."))
    ticket.cancelled_at = now
    ticket.save(update_fields=["cancelled_at"])
    if not registration.tickets.filter(cancelled_at__isnull=True).exists():
        cancel_registration(
            registration=registration, by=by, now=now, action="last_ticket_cancelled"
        )
        return ticket
    registration.total = registration.tickets.filter(cancelled_at__isnull=True).aggregate(
        total=Sum("price")
    )["total"] or Decimal("0")
    before = field_values(registration, ["total", "payment_state"])
    _update_payment_state(registration)
    registration.save(update_fields=["total", "payment_state"])
    log_action(
        registration,
        "ticketing.registration.ticket_cancelled",
        by,
        changes={"ticket": [ticket.pk, None], **diff(registration, before)},
    )
    offer_freed_places(event=registration.event, by=by, now=now)
    return ticket


# The waitlist ---------------------------------------------------------------------------


def offer_freed_places(*, event: Event, by, now=None) -> list[Registration]:
    """Offer free places to the waitlist of an event, first come first served.

    The first waitlisted registration gets an offer when all its tickets fit; a later one
    never overtakes it. An offer holds its places until it expires. Runs inside the
    caller's transaction with the pools locked. ``by``: whose action freed the places
    (None: the system), for the audit trail.
    """
    now = now or timezone.now()
    pools = list(CapacityPool.objects.select_for_update().filter(event=event).order_by("pk"))
    left = places_left(pools, now=now)
    offered = []
    waiting = (
        Registration.objects.select_for_update()
        .filter(
            event=event,
            state=Registration.State.WAITLISTED,
            waitlist_offer_expires_at__isnull=True,
        )
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch(
                "tickets",
                queryset=Ticket.objects.filter(cancelled_at__isnull=True).select_related("offer"),
                to_attr="open_tickets",
            )
        )
    )
    for registration in waiting:
        wanted = places_wanted(ticket.offer for ticket in registration.open_tickets)
        if any(
            left.get(pool_id) is not None and count > left[pool_id]
            for pool_id, count in wanted.items()
        ):
            break
        for pool_id, count in wanted.items():
            if left.get(pool_id) is not None:
                left[pool_id] -= count
        registration.waitlist_offer_expires_at = now + timedelta(hours=waitlist_offer_hours())
        registration.save(update_fields=["waitlist_offer_expires_at"])
        emit(webhooks.REGISTRATION_WAITLIST_OFFERED, registration)
        queue_in_transaction(emails.send_waitlist_offer, registration.pk)
        offered.append(registration)
    log_actions(
        offered,
        "ticketing.registration.waitlist_offered",
        by,
        changes={
            "waitlist_offer_expires_at": [None, now + timedelta(hours=waitlist_offer_hours())]
        },
    )
    return offered


@transaction.atomic
def accept_waitlist_offer(*, registration: Registration, by, now=None) -> Registration:
    """Take the places offered to a waitlisted registration, before the offer expires."""
    now = now or timezone.now()
    registration = _lock(registration)
    if (
        registration.state != Registration.State.WAITLISTED
        or not registration.waitlist_offer_expires_at
    ):
        raise TicketingError(_("No place is on offer for this registration."))
    if registration.waitlist_offer_expires_at <= now:
        raise TicketingError(_("The offer has expired."))
    before = field_values(registration, ["state"])
    registration.state = Registration.State.PENDING
    registration.waitlist_offer_expires_at = None
    confirmed = _confirm_if_ready(registration, now=now)
    registration.save(update_fields=["state", "waitlist_offer_expires_at", "confirmed_at"])
    log_action(
        registration,
        "ticketing.registration.waitlist_offer_accepted",
        by,
        changes=diff(registration, before),
    )
    if confirmed:
        queue_in_transaction(emails.send_tickets, registration.pk)
    else:
        queue_in_transaction(emails.send_registration_received, registration.pk)
    return registration


@transaction.atomic
def decline_waitlist_offer(*, registration: Registration, by, now=None) -> Registration:
    """Decline the places offered; they go to the next on the waitlist."""
    now = now or timezone.now()
    registration = _lock(registration)
    if registration.state != Registration.State.WAITLISTED:
        raise TicketingError(_("No place is on offer for this registration."))
    registration.waitlist_offer_declined = True
    registration.save(update_fields=["waitlist_offer_declined"])
    return cancel_registration(
        registration=registration, by=by, now=now, action="waitlist_offer_declined"
    )


def expire_waitlist_offers(*, now=None) -> int:
    """Cancel the waitlisted registrations whose offers expired, and offer their places on.

    Run every few minutes (see README, "Scheduled jobs"). Returns how many expired.
    """
    now = now or timezone.now()
    expired = 0
    events = set()
    for pk in Registration.objects.filter(
        state=Registration.State.WAITLISTED, waitlist_offer_expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            registration = _lock(Registration(pk=pk))
            if (
                registration.state != Registration.State.WAITLISTED
                or registration.waitlist_offer_expires_at is None
                or registration.waitlist_offer_expires_at > now
            ):
                continue
            registration.state = Registration.State.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["state", "cancelled_at"])
            registration.tickets.filter(cancelled_at__isnull=True).update(cancelled_at=now)
            log_action(
                registration,
                "ticketing.registration.waitlist_offer_expired",
                None,
                changes={"state": [Registration.State.WAITLISTED, registration.state]},
            )
            emit(webhooks.REGISTRATION_CANCELLED, registration)
            queue_in_transaction(emails.send_waitlist_offer_expired, registration.pk)
            events.add(registration.event_id)
            expired += 1
    for event in Event.objects.filter(pk__in=events):
        with transaction.atomic():
            offer_freed_places(event=event, by=None, now=now)
    return expired


# Check-in lists -------------------------------------------------------------------------


def validate_checkin_list_offers(*, event: Event, offers) -> None:
    """Raise ValidationError on ``offers`` unless every offer is for the list's event.

    The offers are many-to-many, set after the list is saved, so the model's clean()
    cannot see those being chosen: the admin's form and the API call this with them
    before saving.
    """
    foreign = [offer for offer in offers if offer.event_id != event.pk]
    if foreign:
        names = ", ".join(f"{offer} (#{offer.pk})" for offer in foreign)
        error = ValidationError(
            _("These offers are for another event: %(offers)s."),
            code="foreign_offer",
            params={"offers": names},
        )
        raise ValidationError({"offers": error})


# Check-in -------------------------------------------------------------------------------

# A scan recorded offline may carry a time this far ahead of the server's clock.
CLOCK_SKEW = timedelta(minutes=5)
# How long after a check-in its scanner may undo it.
ANNUL_WINDOW = timedelta(minutes=15)


# A check-in listener takes the Checkin just accepted or annulled (``checkin.counts`` tells
# which) and records what that scan means to its app, such as a member's attendance.
CheckinListener = Callable[[Checkin], None]
_checkin_listeners: list[CheckinListener] = []


def register_checkin_listener(listener: CheckinListener) -> CheckinListener:
    """Call ``listener(checkin)`` after each accepted scan and each annulled one.

    Registered in an app's AppConfig.ready(). The listener runs inside the scan's
    transaction, with the ticket's row locked, so what it writes is recorded with the
    scan or not at all, and two scanners of one ticket reach it one after the other. A
    retry with a known nonce and a refused scan call no listener.
    """
    if listener not in _checkin_listeners:
        _checkin_listeners.append(listener)
    return listener


def _notify_checkin_listeners(checkin: Checkin) -> None:
    for listener in _checkin_listeners:
        listener(checkin)


@dataclass
class RedeemResult:
    answer: dict
    created: bool  # a check-in (entry or exit) was recorded
    known: bool  # the code matched a ticket


def ticket_summary(ticket: Ticket, *, user, checkin_list: CheckinList | None = None) -> dict:
    """Describe a ticket for a scanner; a child's name only to those who may see it.

    At a check-in list, whether the scanner sees children's names is decided by the
    list's event, as the list's search does: the same for the event's own tickets and its
    sessions', and for tickets an admission rule lets in (a member card at a session).
    """
    event = ticket.offer.event
    names_event = checkin_list.event if checkin_list is not None else event
    return {
        "id": ticket.pk,
        "attendee_name": attendee_label(
            ticket, child_names_visible=may_see_child_names(user, names_event)
        ),
        "offer": ticket.offer.name,
        "registration": ticket.registration.code,
        "event": {
            "id": event.pk,
            "title": event.title,
            "start": timezone.localtime(event.start).isoformat(),
        },
    }


def checkin_summary(checkin: Checkin) -> dict:
    return {
        "id": checkin.pk,
        "type": checkin.type,
        "nonce": checkin.nonce or None,
        "scanned_at": timezone.localtime(checkin.scanned_at).isoformat(),
    }


def _refusal_reason(ticket: Ticket, checkin_list: CheckinList, kind: str, at) -> str | None:
    registration = ticket.registration
    if not list_admits(checkin_list, ticket):
        return Checkin.Reason.WRONG_LIST
    if ticket.is_cancelled or registration.is_cancelled:
        return Checkin.Reason.CANCELLED
    if registration.state == Registration.State.WAITLISTED:
        return Checkin.Reason.UNAPPROVED
    if registration.needs_approval and registration.approved_at is None:
        return Checkin.Reason.UNAPPROVED
    if registration.payment_state == Registration.Payment.UNPAID:
        return Checkin.Reason.UNPAID
    if registration.state != Registration.State.CONFIRMED:
        return Checkin.Reason.UNAPPROVED
    if ticket.offer.valid_from and at < ticket.offer.valid_from:
        return Checkin.Reason.NOT_YET_VALID
    if ticket.offer.valid_until and at > ticket.offer.valid_until:
        return Checkin.Reason.EXPIRED
    if kind == Checkin.Type.ENTRY:
        entries, latest = scan_state(checkin_list, ticket)
        may_enter_again = checkin_list.allow_multiple_entries or (
            latest == Checkin.Type.EXIT and checkin_list.allow_entry_after_exit
        )
        if entries and not may_enter_again:
            return Checkin.Reason.ALREADY_REDEEMED
    return None


def offline_scan_max_age() -> timedelta:
    return timedelta(hours=settings.OFFLINE_SCAN_MAX_HOURS)


def _check_scan_time(at: datetime, *, received_at: datetime) -> None:
    """Refuse a scan time the scanner cannot have recorded: in the future (beyond a small
    clock skew), or older than a scan may wait in the scanner's offline queue."""
    if at > received_at + CLOCK_SKEW:
        raise ValidationError({"scanned_at": _("The scan time is in the future.")})
    if at < received_at - offline_scan_max_age():
        hours = settings.OFFLINE_SCAN_MAX_HOURS
        raise ValidationError(
            {
                "scanned_at": ngettext(
                    "The scan time is more than %(hours)d hour ago: a scan made offline "
                    "must be sent within %(hours)d hour.",
                    "The scan time is more than %(hours)d hours ago: a scan made offline "
                    "must be sent within %(hours)d hours.",
                    hours,
                )
                % {"hours": hours}
            }
        )


def redeem_ticket(
    *,
    checkin_list: CheckinList,
    user,
    secret: str = "",
    handle: str = "",
    kind: str = Checkin.Type.ENTRY,
    nonce: str = "",
    scanned_at: datetime | None = None,
) -> RedeemResult:
    """Check a ticket in (or out) at a list, or record why not. Safe to retry and to race.

    The ticket is named by its secret (what its QR code holds) or by a handle of the
    list's search (CheckinList.ticket_handle), which admits at that list only.

    Preconditions: the user may scan at the list. A scan time (for a scan recorded offline)
    is neither in the future nor older than OFFLINE_SCAN_MAX_HOURS; the ticket's validity
    is judged at that time, its entries and exits in the order the server accepted them.
    A nonce already used on the list by the same user for the same ticket returns the
    answer given the first time and records nothing; sent with another ticket, it is an
    error. The ticket's row is locked while its scans are counted, so two scanners
    redeeming the same ticket at once get one "ok" and one "already_redeemed".
    """
    received_at = timezone.now()
    at = scanned_at or received_at
    _check_scan_time(at, received_at=received_at)
    if handle:
        ticket_id = checkin_list.ticket_id_for_handle(handle)
        if ticket_id is None:
            raise ValidationError({"handle": _("This is no handle of a search on this list.")})
        code, lookup = "", {"pk": ticket_id}
    else:
        code = normalize_code(secret)
        lookup = {"secret": code} if code else None
    try:
        with transaction.atomic():
            result = _redeem_locked(
                code=code,
                lookup=lookup,
                checkin_list=checkin_list,
                user=user,
                kind=kind,
                nonce=nonce,
                at=at,
                received_at=received_at,
            )
    except IntegrityError:
        # The same nonce raced in from a retry; the first one's answer stands.
        ticket_id = (
            Ticket.objects.filter(**lookup).values_list("pk", flat=True).first() if lookup else None
        )
        previous = _answer_for_nonce(checkin_list, nonce, user, ticket_id=ticket_id, code=code)
        if previous is None:
            raise
        return previous
    return result


def _answer_for_nonce(checkin_list, nonce, user, *, ticket_id, code) -> RedeemResult | None:
    """Return the answer to the earlier scan with this nonce, if there is one.

    A nonce is one scan's: coming back with another scanner or another ticket (or another
    unknown code), it is an error, never that scan's answer.
    """
    if not nonce:
        return None
    previous = Checkin.objects.filter(checkin_list=checkin_list, nonce=nonce).first()
    if previous is None:
        return None
    if previous.user_id != getattr(user, "pk", None):
        raise TicketingError(_("This nonce was used by another scanner."))
    if previous.ticket_id != ticket_id or (
        ticket_id is None and previous.attempted_secret != code[:64]
    ):
        raise ValidationError(
            {"nonce": _("This nonce was sent with another ticket: send a new one with each scan.")}
        )
    return _result(previous, previous.answer["ticket"], checkin_list)


def _redeem_locked(
    *, code, lookup, checkin_list, user, kind, nonce, at, received_at
) -> RedeemResult:
    ticket = (
        # Only the ticket's row: locking its event too would make every scan at the door
        # wait for every other.
        Ticket.objects.select_for_update(of=("self",))
        .select_related("registration", "offer__event")
        .filter(**lookup)
        .first()
        if lookup
        else None
    )
    # After the lock: a retry of a scan that is still being recorded waits here for it.
    previous = _answer_for_nonce(
        checkin_list, nonce, user, ticket_id=ticket.pk if ticket else None, code=code
    )
    if previous is not None:
        return previous
    reason = (
        Checkin.Reason.INVALID
        if ticket is None
        else _refusal_reason(ticket, checkin_list, kind, at)
    )
    summary = ticket_summary(ticket, user=user, checkin_list=checkin_list) if ticket else None
    if reason == Checkin.Reason.UNPAID:
        # Pay at the door: what to collect (counted only for a refused unpaid ticket).
        registration = ticket.registration
        summary["collect"] = {
            "amount": str(registration.total - selectors.paid_amount(registration)),
            "registration_id": registration.pk,
        }
    checkin = Checkin.objects.create(
        checkin_list=checkin_list,
        ticket=ticket,
        attempted_secret="" if ticket else code[:64],
        type=kind,
        successful=reason is None,
        reason=reason or "",
        nonce=nonce,
        user=user if user is not None and user.is_authenticated else None,
        scanned_at=at,
        received_at=received_at,
        # The ticket as this scanner was shown it, so that a retry shows the same.
        answer={"ticket": summary},
    )
    if checkin.successful:
        _notify_checkin_listeners(checkin)
        if kind == Checkin.Type.ENTRY:
            emit(webhooks.TICKET_CHECKED_IN, checkin)
    return _result(checkin, checkin.answer["ticket"], checkin_list)


def _result(checkin: Checkin, ticket: dict | None, checkin_list: CheckinList) -> RedeemResult:
    """Return the answer to a scan, the first time or on a retry with its nonce.

    The list's status is counted afresh: it is the one part a retry may see changed.
    """
    answer = {
        "status": "ok" if checkin.successful else "error",
        "reason": checkin.reason or None,
        "ticket": ticket,
        "checkin": checkin_summary(checkin) if checkin.successful else None,
        "list_status": list_status(checkin_list),
    }
    return RedeemResult(answer=answer, created=checkin.successful, known=ticket is not None)


@transaction.atomic
def annul_checkin(*, checkin_list: CheckinList, nonce: str, user, now=None) -> Checkin:
    """Undo a check-in the same user made on the list within the last 15 minutes."""
    now = now or timezone.now()
    checkin = (
        Checkin.objects.select_for_update()
        .filter(checkin_list=checkin_list, nonce=nonce, successful=True)
        .first()
        if nonce
        else None
    )
    if checkin is None or checkin.user_id != getattr(user, "pk", None):
        raise TicketingError(_("No check-in of yours has this nonce."))
    if checkin.annulled_at is not None:
        raise TicketingError(_("The check-in is already undone."))
    if checkin.received_at < now - ANNUL_WINDOW:
        raise TicketingError(_("A check-in can only be undone within 15 minutes."))
    checkin.annulled_at = now
    checkin.save(update_fields=["annulled_at"])
    _notify_checkin_listeners(checkin)
    return checkin
