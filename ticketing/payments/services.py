"""The rules of paying a registration online (ticketing.payments has the providers).

- One open attempt per registration (a constraint on PaymentAttempt): starting again
  while one is open resumes it.
- The provider's word (a webhook, the return page's question, the poller's) is recorded
  by ``settle``, with the registration's and the attempt's rows locked: a callback that
  comes twice, or two at once, is one payment (and a constraint says so again).
- The tickets are sent when the registration is paid (ticketing.services.record_payment
  confirms it), never before.
- An online payment holds the places for PAYMENT_HOLD_MINUTES; then ``free_payment_holds``
  (a core.due sender) frees them and tells the buyer. A payment that comes after that
  takes places again if there are any, or is refunded.

Locks are taken registration first, then its attempt, everywhere.
"""

import logging
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import log_action
from core.due import due_sender
from core.mail import queue_in_transaction
from ticketing import emails, selectors
from ticketing import services as ticketing_services
from ticketing.exceptions import TicketingError
from ticketing.models import Payment, PaymentAttempt, Registration
from ticketing.payments import MANUAL
from ticketing.payments import provider as get_provider
from ticketing.payments.base import ProviderError, Status
from ticketing.selectors import places_left

logger = logging.getLogger(__name__)

HOLDS = "ticketing.payment_holds"


def hold_time() -> timedelta:
    return timedelta(minutes=settings.PAYMENT_HOLD_MINUTES)


def _lock_registration(pk: int) -> Registration:
    return Registration.objects.select_for_update().get(pk=pk)


def _lock_attempt(pk: int) -> PaymentAttempt:
    return PaymentAttempt.objects.select_for_update().get(pk=pk)


def open_attempt(registration: Registration) -> PaymentAttempt | None:
    return registration.payment_attempts.filter(state__in=PaymentAttempt.OPEN_STATES).first()


# Starting -------------------------------------------------------------------------------


def start_payment(
    *, registration: Registration, provider_key: str, return_url: str, now=None
) -> PaymentAttempt:
    """Begin paying a registration online; return the attempt, whose redirect_url is the
    provider's page to send the payer to.

    Preconditions: the provider is on; the registration is pending, unpaid (and approved,
    if it needs approval). An open attempt at the same provider is resumed; the first
    attempt starts the hold of the places. The provider is called after the attempt is
    committed, so that its row (and the constraint) stands before any money moves.
    """
    now = now or timezone.now()
    provider = get_provider(provider_key)
    if provider is None:
        raise TicketingError(_("This way of paying is not available."))
    with transaction.atomic():
        registration = _lock_registration(registration.pk)
        if (
            registration.state != Registration.State.PENDING
            or registration.payment_state != Registration.Payment.UNPAID
        ):
            raise TicketingError(_("Nothing is owed on this registration."))
        if registration.needs_approval and registration.approved_at is None:
            raise TicketingError(_("You can pay when the registration is approved."))
        current = open_attempt(registration)
        if current is not None:
            if current.provider == provider_key and current.redirect_url:
                return current
            raise TicketingError(_("A payment is already under way. Try again in a minute."))
        amount = selectors.amount_due(registration)
        attempt = PaymentAttempt.objects.create(
            registration=registration,
            provider=provider_key,
            reference=f"kv-{registration.code}-{secrets.token_hex(4)}",
            amount=amount,
            created_at=now,
            updated_at=now,
        )
        if registration.hold_expires_at is None:
            registration.hold_expires_at = now + hold_time()
            registration.save(update_fields=["hold_expires_at"])
        log_action(
            registration,
            "ticketing.registration.payment_started",
            None,
            changes={"provider": provider_key, "amount": [None, amount]},
        )
    try:
        started = provider.start(
            reference=attempt.reference,
            amount=attempt.amount,
            description=f"{registration.event.title} ({registration.code})",
            return_url=return_url,
        )
    except ProviderError as exc:
        logger.warning("Payment %s could not be started: %s", attempt.reference, exc)
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            state=PaymentAttempt.State.FAILED, error=str(exc)[:200], updated_at=timezone.now()
        )
        raise TicketingError(_("The payment could not be started. Try again in a moment.")) from exc
    attempt.redirect_url = started.redirect_url
    attempt.save(update_fields=["redirect_url"])
    return attempt


# What the provider says ------------------------------------------------------------------


def handle_callback(provider_key: str, request) -> PaymentAttempt | None:
    """Verify a provider's callback and record what it says (Refused if forged)."""
    provider = get_provider(provider_key)
    if provider is None:
        return None
    status = provider.handle_callback(request)
    return settle(reference=status.reference, status=status, provider_key=provider_key)


def check_payment(attempt: PaymentAttempt) -> PaymentAttempt:
    """Ask the provider how an attempt stands (the callback has not come) and record it."""
    provider = get_provider(attempt.provider)
    if provider is None:
        return attempt
    status = provider.status(attempt.reference)
    return settle(reference=attempt.reference, status=status, provider_key=attempt.provider)


def settle(*, reference: str, status: Status, provider_key: str, now=None):
    """Record a provider's word on a payment, once however often it comes.

    Authorised: captured, then recorded. Captured: recorded. Failed: the attempt is
    closed (the registration keeps its hold, and may try again). A payment for a
    registration whose hold expired takes places again if there are any, else it is
    refunded; so is a payment the registration no longer owes (paid otherwise meanwhile,
    or cancelled by its buyer). Raises ProviderError if the capture or refund fails: the
    attempt stays as it was and the poller tries again.
    """
    now = now or timezone.now()
    found = (
        PaymentAttempt.objects.filter(reference=reference, provider=provider_key)
        .values_list("pk", "registration_id")
        .first()
    )
    if found is None:
        logger.warning("A %s callback for an unknown reference", provider_key)
        return None
    attempt_id, registration_id = found
    with transaction.atomic():
        registration = _lock_registration(registration_id)
        attempt = _lock_attempt(attempt_id)
        if status.state == Status.PENDING or attempt.state == PaymentAttempt.State.PAID:
            return attempt
        if status.state == Status.FAILED:
            if attempt.is_open:
                attempt.state = PaymentAttempt.State.FAILED
                attempt.updated_at = now
                attempt.save(update_fields=["state", "updated_at"])
                log_action(
                    registration,
                    "ticketing.registration.payment_failed",
                    None,
                    changes={"provider": provider_key},
                )
            return attempt
        provider = get_provider(provider_key)
        if status.state == Status.AUTHORIZED:
            if provider is None:
                raise ProviderError(f"{provider_key} is not configured")
            provider.capture(reference, attempt.amount)
        late = attempt.state == PaymentAttempt.State.EXPIRED
        attempt.state = PaymentAttempt.State.PAID
        attempt.updated_at = now
        attempt.save(update_fields=["state", "updated_at"])
        _take_payment(registration, attempt, late=late, provider=provider, now=now)
        return attempt


def _take_payment(registration, attempt, *, late: bool, provider, now) -> None:
    if late and registration.state == Registration.State.CANCELLED:
        _reinstate_if_room(registration, now=now)
    owes = (
        registration.state == Registration.State.PENDING
        and registration.payment_state == Registration.Payment.UNPAID
    )
    if owes:
        ticketing_services.record_payment(
            registration=registration,
            by=None,
            amount=attempt.amount,
            provider=attempt.provider,
            reference=attempt.reference,
            attempt=attempt,
            now=now,
        )
        Registration.objects.filter(pk=registration.pk).update(hold_expires_at=None)
        return
    # Not owed (any more): keep the record of the money, and send it back.
    Payment.objects.create(
        registration=registration,
        kind=Payment.Kind.PAYMENT,
        amount=attempt.amount,
        provider=attempt.provider,
        reference=attempt.reference,
        attempt=attempt,
        created_at=now,
    )
    log_action(
        registration,
        "ticketing.registration.paid",
        None,
        changes={"amount": [None, attempt.amount], "provider": attempt.provider},
    )
    _refund_attempt(registration, attempt, attempt.amount, by=None, late=True, now=now)


def _reinstate_if_room(registration: Registration, *, now) -> bool:
    """Give a registration whose hold expired its places back, if they are all free."""
    from ticketing.models import CapacityPool

    tickets = list(
        registration.tickets.filter(cancelled_at=registration.cancelled_at).select_related("offer")
    )
    wanted = ticketing_services.places_wanted(ticket.offer for ticket in tickets)
    pools = list(
        CapacityPool.objects.select_for_update().filter(pk__in=sorted(wanted)).order_by("pk")
    )
    left = places_left(pools, now=now)
    if not tickets or any(
        left.get(pool_id) is not None and count > left[pool_id] for pool_id, count in wanted.items()
    ):
        return False
    registration.tickets.filter(pk__in=[t.pk for t in tickets]).update(cancelled_at=None)
    registration.state = Registration.State.PENDING
    registration.cancelled_at = None
    registration.save(update_fields=["state", "cancelled_at"])
    log_action(
        registration,
        "ticketing.registration.reinstated",
        None,
        changes={"state": [Registration.State.CANCELLED, Registration.State.PENDING]},
    )
    return True


# Refunds --------------------------------------------------------------------------------


def refundable(attempt: PaymentAttempt) -> Decimal:
    sums = {
        row["kind"]: row["total"]
        for row in attempt.payments.values("kind").annotate(total=Sum("amount"))
    }
    return sums.get(Payment.Kind.PAYMENT, Decimal("0")) - sums.get(
        Payment.Kind.REFUND, Decimal("0")
    )


def _refund_attempt(registration, attempt, amount, *, by, late=False, now) -> Payment:
    provider = get_provider(attempt.provider)
    if provider is None:
        raise ProviderError(f"{attempt.provider} is not configured")
    number = attempt.payments.filter(kind=Payment.Kind.REFUND).count() + 1
    provider.refund(attempt.reference, amount, key=f"refund-{attempt.reference}-{number}")
    ticketing_services.record_refund(
        registration=registration,
        by=by,
        amount=amount,
        provider=attempt.provider,
        reference=attempt.reference,
        attempt=attempt,
        now=now,
    )
    refund = attempt.payments.filter(kind=Payment.Kind.REFUND).latest("pk")
    queue_in_transaction(emails.send_payment_refunded, registration.pk, refund.pk, late)
    return refund


@transaction.atomic
def refund(
    *,
    registration: Registration,
    by,
    amount: Decimal | None = None,
    through_provider: bool = True,
    reference: str = "",
    now=None,
) -> Payment:
    """Refund ``amount`` (default: all that was paid) of a registration.

    Through the provider of the online payment it was paid with, when there is one with
    enough left to refund and ``through_provider``; else recorded as paid back by hand
    (bank, cash) with ``reference``. It does not cancel the registration. The buyer is told.
    """
    now = now or timezone.now()
    registration = _lock_registration(registration.pk)
    paid = selectors.paid_amount(registration)
    amount = paid if amount is None else amount
    if paid <= 0:
        raise TicketingError(_("Nothing has been paid on this registration."))
    if amount <= 0 or amount > paid:
        raise TicketingError(
            _("The refund must be more than 0 and at most %(paid)s.") % {"paid": paid}
        )
    if through_provider:
        for attempt in registration.payment_attempts.filter(
            state=PaymentAttempt.State.PAID
        ).order_by("-pk"):
            if refundable(attempt) >= amount:
                try:
                    return _refund_attempt(registration, attempt, amount, by=by, now=now)
                except ProviderError as exc:
                    raise TicketingError(
                        _("The provider refused the refund: %(error)s") % {"error": exc}
                    ) from exc
    ticketing_services.record_refund(
        registration=registration,
        by=by,
        amount=amount,
        provider=MANUAL,
        reference=reference,
        now=now,
    )
    payment = registration.payments.filter(kind=Payment.Kind.REFUND).latest("pk")
    queue_in_transaction(emails.send_payment_refunded, registration.pk, payment.pk, False)
    return payment


# Holds and polling (send_due_messages) ---------------------------------------------------


def _poll_after() -> timedelta:
    return timedelta(minutes=settings.PAYMENT_POLL_MINUTES)


def expire_hold(registration: Registration, *, now: datetime) -> bool:
    """Free the places of an unpaid registration whose hold ran out; tell the buyer.

    The provider is asked first (the callback may be lost): a payment it has is taken.
    """
    with transaction.atomic():
        registration = _lock_registration(registration.pk)
        if not (
            registration.state == Registration.State.PENDING
            and registration.payment_state == Registration.Payment.UNPAID
            and registration.hold_expires_at is not None
            and registration.hold_expires_at <= now
        ):
            return False
        attempt = open_attempt(registration)
        if attempt is not None:
            provider = get_provider(attempt.provider)
            if provider is not None:
                try:
                    status = provider.status(attempt.reference)
                except ProviderError:
                    status = None
                if status is not None and status.state in (Status.AUTHORIZED, Status.CAPTURED):
                    settle(
                        reference=attempt.reference, status=status, provider_key=attempt.provider
                    )
                    return False
                try:
                    provider.cancel(attempt.reference)
                except ProviderError as exc:
                    logger.warning("Payment %s not cancelled: %s", attempt.reference, exc)
            attempt.state = PaymentAttempt.State.EXPIRED
            attempt.updated_at = now
            attempt.save(update_fields=["state", "updated_at"])
        ticketing_services.cancel_registration(
            registration=registration,
            by=None,
            now=now,
            action="payment_hold_expired",
            notify=False,
        )
        queue_in_transaction(emails.send_payment_hold_expired, registration.pk)
        return True


def _close_abandoned(attempt: PaymentAttempt, *, now) -> None:
    """Cancel at the provider an unpaid attempt whose registration was cancelled (by its
    buyer or staff); a payment that still comes is refunded (settle)."""
    provider = get_provider(attempt.provider)
    if provider is not None:
        provider.cancel(attempt.reference)
    PaymentAttempt.objects.filter(pk=attempt.pk, state__in=PaymentAttempt.OPEN_STATES).update(
        state=PaymentAttempt.State.EXPIRED, updated_at=now
    )


@due_sender(HOLDS, order=20, label=gettext_lazy("Unpaid places freed"))
def free_payment_holds(now: datetime) -> int:
    """Ask the providers about payments whose callback has not come, then free the places
    of registrations not paid in time. Returns how many buyers are told."""
    for attempt in PaymentAttempt.objects.filter(
        state__in=PaymentAttempt.OPEN_STATES, updated_at__lte=now - _poll_after()
    ).order_by("pk"):
        try:
            attempt = check_payment(attempt)
            if attempt.is_open and attempt.registration.is_cancelled:
                _close_abandoned(attempt, now=now)
        except ProviderError as exc:
            logger.warning("Payment %s could not be checked: %s", attempt.reference, exc)
    freed = 0
    for registration in Registration.objects.filter(
        state=Registration.State.PENDING,
        payment_state=Registration.Payment.UNPAID,
        hold_expires_at__lte=now,
    ).order_by("hold_expires_at", "pk"):
        freed += expire_hold(registration, now=now)
    return freed
