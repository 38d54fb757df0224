"""Offers, registrations, tickets and check-in: the one mechanism every sign-up and scan uses.

Capacity is counted, not stored: a ticket holds a place while its registration is
pending or confirmed (or waitlisted with an open offer of a place) and the ticket itself
is not cancelled. Registering locks the capacity pool's row, so two registrations cannot
both take the last place.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event, localized

# 32 symbols without the look-alikes 0/O and 1/I (and no lower case, so no l): each
# symbol is 5 bits, and the upper-case-and-digits set fits a QR code's compact
# alphanumeric mode.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 -- an alphabet, not a secret
SECRET_LENGTH = 32  # 160 bits
REFERENCE_LENGTH = 8  # 40 bits: a code people read out, not a credential
MANAGE_SALT = "ticketing.registration.manage"
CHECKIN_HANDLE_SALT = "ticketing.checkin.handle"


def random_code(length: int) -> str:
    """Return a random string from the confusion-free alphabet."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _i in range(length))


def new_ticket_secret() -> str:
    return random_code(SECRET_LENGTH)


def new_registration_code() -> str:
    return random_code(REFERENCE_LENGTH)


def normalize_code(raw: str) -> str:
    """Return a typed or scanned code in its stored form: upper case, no spaces or dashes."""
    return "".join(raw.split()).replace("-", "").upper()


class CapacityPool(models.Model):
    """Places at an event that one or more offers draw from; no size means unlimited."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="capacity_pools"
    )
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )

    class Meta:
        verbose_name = _("capacity pool")
        verbose_name_plural = _("capacity pools")
        ordering = ["event", "name"]

    def __str__(self):
        if self.size is None:
            return f"{self.name} ({_('unlimited')})"
        return f"{self.name} ({self.size})"


class Offer(models.Model):
    """A kind of ticket to an event: its price, sales window, validity and place pool."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="offers"
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    price = models.DecimalField(
        _("price (NOK)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 for a free ticket."),
    )
    pool = models.ForeignKey(
        CapacityPool,
        verbose_name=_("capacity pool"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        help_text=_("Empty: unlimited places."),
    )
    sales_start = models.DateTimeField(_("sales start"), null=True, blank=True)
    sales_end = models.DateTimeField(_("sales end"), null=True, blank=True)
    valid_from = models.DateTimeField(
        _("admits from"), null=True, blank=True, help_text=_("Empty: any time.")
    )
    valid_until = models.DateTimeField(
        _("admits until"), null=True, blank=True, help_text=_("Empty: any time.")
    )
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    max_per_registration = models.PositiveSmallIntegerField(
        _("most tickets per registration"), default=10, validators=[MinValueValidator(1)]
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the event page for anyone to register.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.sales_start and self.sales_end and self.sales_end < self.sales_start:
            errors["sales_end"] = _("The end is before the start.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end is before the start.")
        if self.pool_id and self.event_id and self.pool.event_id != self.event_id:
            errors["pool"] = _("The capacity pool belongs to another event.")
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        return localized(self.name_nb, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_nb, self.description_en)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    def on_sale(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.sales_start is None or self.sales_start <= now) and (
            self.sales_end is None or now < self.sales_end
        )


class Registration(models.Model):
    """An order: who registered, for which event, and the tickets it holds."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", pgettext_lazy("ticket", "Cancelled")

    class Payment(models.TextChoices):
        FREE = "free", _("Free")
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")

    # States in which the registration's tickets hold places.
    HOLDING_STATES = (State.PENDING, State.CONFIRMED)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    code = models.CharField(
        _("reference"), max_length=16, unique=True, default=new_registration_code, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    language = models.CharField(_("language"), max_length=10, default="nb")
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    payment_state = models.CharField(_("payment"), max_length=20, choices=Payment.choices)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    total = models.DecimalField(_("total (NOK)"), max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # A waitlisted registration offered a place holds it until this time.
    waitlist_offer_expires_at = models.DateTimeField(
        _("place offered until"), null=True, blank=True
    )
    waitlist_offer_declined = models.BooleanField(_("declined the offered place"), default=False)
    # An unpaid registration paid online holds its places until this time (set by the first
    # online payment attempt, ticketing.payments.services).
    hold_expires_at = models.DateTimeField(_("places held until"), null=True, blank=True)
    comment = models.TextField(_("internal comment"), blank=True)
    # The key of the form (or the API request's Idempotency-Key) that made the registration:
    # the same form sent again answers with this registration instead of a second one. A
    # secret of the browser that was shown the form, so never shown or exported.
    form_key = models.CharField(_("form key"), max_length=64, blank=True, editable=False)
    # The answers to the offers' own questions (core.questions): they go with it.
    answers = GenericRelation(
        "core.Answer", content_type_field="record_type", object_id_field="record_id"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["event", "state", "created_at"]),
            models.Index(fields=["state", "waitlist_offer_expires_at"]),
            models.Index(fields=["state", "hold_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "form_key"],
                condition=~Q(form_key=""),
                name="ticketing_registration_one_per_form_key",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        """The buyer's "manage my registration" page, behind a signed link."""
        return reverse("ticketing:manage", args=[self.manage_token()])

    def manage_token(self) -> str:
        return signing.Signer(salt=MANAGE_SALT).sign(self.code)

    def is_manage_token(self, token: str) -> bool:
        """Return True if the token is this registration's manage link's."""
        return bool(token) and secrets.compare_digest(token.encode(), self.manage_token().encode())

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def has_open_waitlist_offer(self) -> bool:
        return (
            self.state == self.State.WAITLISTED
            and self.waitlist_offer_expires_at is not None
            and self.waitlist_offer_expires_at > timezone.now()
        )


class PaymentAttempt(models.Model):
    """One try to pay a registration online through a provider (ticketing.payments).

    A registration has at most one open attempt (a constraint); a captured attempt has
    one Payment (another constraint), however often its provider calls back.
    """

    class State(models.TextChoices):
        STARTED = "started", _("Started")
        AUTHORIZED = "authorized", _("Authorised")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    OPEN_STATES = (State.STARTED, State.AUTHORIZED)

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="payment_attempts",
    )
    provider = models.CharField(_("provider"), max_length=40)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=10, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.STARTED
    )
    redirect_url = models.URLField(_("payment page"), max_length=1000, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(state__in=["started", "authorized"]),
                name="ticketing_one_open_payment_attempt",
            )
        ]

    def __str__(self):
        return f"{self.provider} {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Payment(models.Model):
    """A payment or refund of a registration. Staff record manual ones; a provider adds its own.

    The registration's payment state is derived from its payments by the services, so that
    an online provider only has to create and confirm Payment rows.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=10, decimal_places=2)
    provider = models.CharField(_("provider"), max_length=40, default="manual")
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The online payment it came from or went back to (None: recorded by staff).
    attempt = models.ForeignKey(
        PaymentAttempt,
        verbose_name=_("online payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]
        constraints = [
            # A provider's confirmation that comes twice is one payment.
            models.UniqueConstraint(
                fields=["attempt"],
                condition=Q(kind="payment"),
                name="ticketing_one_payment_per_attempt",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} NOK"


class Ticket(models.Model):
    """One person's admission: an offer, an attendee, and a secret that its QR code holds."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="tickets",
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="tickets"
    )
    attendee_name = models.CharField(_("attendee"), max_length=200)
    # Set for a child's ticket: only users who may see the child's data see the name.
    attendee_is_child = models.BooleanField(_("attendee is a child"), default=False)
    secret = models.CharField(
        _("secret"), max_length=64, unique=True, default=new_ticket_secret, editable=False
    )
    price = models.DecimalField(_("price (NOK)"), max_digits=10, decimal_places=2, default=0)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["registration", "pk"]

    def __str__(self):
        return f"{self.offer} · {self.registration.code}"

    def get_absolute_url(self):
        return reverse("ticketing:ticket", args=[self.secret])

    def contact_url(self) -> str:
        """The ticket's page as the registration's contact opens it, from the manage page or
        an email: with the manage link's token, so that a child's ticket shows the name."""
        token = urlencode({"manage": self.registration.manage_token()})
        return f"{self.get_absolute_url()}?{token}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def display_code(self) -> str:
        """The secret in groups of four, easier to read out and type."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


class CheckinList(models.Model):
    """Who may come in where: the offers a door admits, and how it treats re-entry."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="checkin_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    all_offers = models.BooleanField(
        _("admits every offer"),
        default=True,
        help_text=_("Otherwise only the offers chosen below."),
    )
    offers = models.ManyToManyField(
        Offer, verbose_name=_("offers admitted"), blank=True, related_name="checkin_lists"
    )
    include_sessions = models.BooleanField(
        _("includes the sessions"),
        default=False,
        help_text=_("Also admits tickets to the sessions and parts of the event."),
    )
    allow_multiple_entries = models.BooleanField(
        _("allow multiple entries"),
        default=False,
        help_text=_("A ticket may enter again without leaving first."),
    )
    allow_entry_after_exit = models.BooleanField(
        _("allow entry after exit"),
        default=True,
        help_text=_("A ticket that was scanned out may come in again."),
    )

    class Meta:
        verbose_name = _("check-in list")
        verbose_name_plural = _("check-in lists")
        ordering = ["event", "name"]

    def __str__(self):
        return f"{self.event} · {self.name}"

    def get_absolute_url(self):
        return reverse("ticketing:scanner", args=[self.pk])

    def _handle_signer(self) -> signing.Signer:
        return signing.Signer(salt=f"{CHECKIN_HANDLE_SALT}.{self.pk}")

    def ticket_handle(self, ticket_id: int) -> str:
        """Return an opaque handle that redeems the ticket at this list, and nowhere else.

        The list's search answers with handles, never secrets: a host admits a person
        found by name or reference without learning the code that opens the ticket's page.
        """
        return self._handle_signer().sign(str(ticket_id))

    def ticket_id_for_handle(self, handle: str) -> int | None:
        """Return the id of the ticket a handle of this list names; None if it is not one."""
        try:
            value = self._handle_signer().unsign(handle)
        except signing.BadSignature:
            return None
        return int(value) if value.isascii() and value.isdigit() else None


class Checkin(models.Model):
    """One scan at a check-in list, recorded whether it was accepted or refused.

    An accepted scan (``successful``) is an entry or an exit; a refused one keeps its
    reason and, for an unknown code, the code that was tried. The answer sent is kept,
    so that a retry with the same nonce gets the same answer.
    """

    class Type(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Reason(models.TextChoices):
        INVALID = "invalid", _("Unknown code")
        ALREADY_REDEEMED = "already_redeemed", _("Already checked in")
        WRONG_LIST = "wrong_list", _("Not valid here")
        CANCELLED = "cancelled", pgettext_lazy("ticket", "Cancelled")
        UNPAID = "unpaid", _("Not paid")
        UNAPPROVED = "unapproved", _("Not approved")
        NOT_YET_VALID = "not_yet_valid", _("Not valid yet")
        EXPIRED = "expired", _("No longer valid")

    checkin_list = models.ForeignKey(
        CheckinList, verbose_name=_("check-in list"), on_delete=models.CASCADE, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkins",
    )
    # Only for a code that matched no ticket, cut to its first characters.
    attempted_secret = models.CharField(_("code tried"), max_length=64, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.ENTRY)
    successful = models.BooleanField(_("accepted"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    annulled_at = models.DateTimeField(_("annulled"), null=True, blank=True)
    answer = models.JSONField(_("answer"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["checkin_list", "successful", "type"]),
            models.Index(fields=["ticket", "checkin_list"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin_list", "nonce"],
                condition=~Q(nonce=""),
                name="checkin_unique_nonce",
            ),
        ]

    def __str__(self):
        outcome = _("accepted") if self.successful else self.get_reason_display()
        return f"{self.get_type_display()} · {outcome}"

    @property
    def counts(self) -> bool:
        """True for an accepted scan that was not annulled."""
        return self.successful and self.annulled_at is None
