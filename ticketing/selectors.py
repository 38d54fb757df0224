"""Reads of ticketing: places left, offers on sale, check-in list status, who may scan."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, Trim
from django.db.models.lookups import Exact
from django.utils import timezone

from core import questions
from core.retention import ANONYMOUS
from events.models import Event
from ticketing import payments
from ticketing.models import (
    Checkin,
    CheckinList,
    Offer,
    Payment,
    PaymentAttempt,
    Registration,
    Ticket,
)
from ticketing.policies import SCAN_AT_LIST, SEE_CHILD_NAMES


def holding_tickets(*, now=None) -> Q:
    """Return the condition for tickets that hold a place, as a filter on Ticket.

    A ticket holds its place unless it is cancelled, while its registration is pending or
    confirmed, or waitlisted with an offer of a place that has not expired.
    """
    now = now or timezone.now()
    return Q(cancelled_at__isnull=True) & (
        Q(registration__state__in=Registration.HOLDING_STATES)
        | Q(
            registration__state=Registration.State.WAITLISTED,
            registration__waitlist_offer_expires_at__gt=now,
        )
    )


def places_taken(pool_ids, *, now=None) -> dict[int, int]:
    """Return the number of places taken in each of the pools, in one query."""
    rows = (
        Ticket.objects.filter(holding_tickets(now=now), offer__pool_id__in=list(pool_ids))
        .values("offer__pool_id")
        .annotate(taken=Count("pk"))
    )
    taken = dict.fromkeys(pool_ids, 0)
    taken.update({row["offer__pool_id"]: row["taken"] for row in rows})
    return taken


def places_left(pools, *, now=None) -> dict[int, int | None]:
    """Return the places left in each pool (None: unlimited)."""
    pools = list(pools)
    taken = places_taken([pool.pk for pool in pools], now=now)
    return {
        pool.pk: None if pool.size is None else max(pool.size - taken[pool.pk], 0) for pool in pools
    }


@dataclass
class OfferAvailability:
    offer: Offer
    places_left: int | None  # None: unlimited
    on_sale: bool

    @property
    def sold_out(self) -> bool:
        return self.places_left == 0

    @property
    def most_per_registration(self) -> int:
        if self.places_left is None:
            return self.offer.max_per_registration
        return min(self.offer.max_per_registration, self.places_left)


def offers_for_event(
    event: Event, *, public_only: bool = True, now=None
) -> list[OfferAvailability]:
    """Return an event's offers with their places left, in two queries."""
    now = now or timezone.now()
    offers = Offer.objects.filter(event=event).select_related("pool").order_by("position", "pk")
    if public_only:
        offers = offers.filter(is_public=True)
    offers = list(offers)
    pools = {offer.pool_id: offer.pool for offer in offers if offer.pool_id}
    left = places_left(pools.values(), now=now) if pools else {}
    return [
        OfferAvailability(
            offer=offer,
            places_left=left[offer.pool_id] if offer.pool_id else None,
            on_sale=offer.on_sale(now),
        )
        for offer in offers
    ]


def waitlist_for_event(event: Event) -> QuerySet[Registration]:
    """Return the event's waitlisted registrations, first come first."""
    return (
        Registration.objects.filter(event=event, state=Registration.State.WAITLISTED)
        .prefetch_related("tickets__offer")
        .order_by("created_at", "pk")
    )


# Check-in -------------------------------------------------------------------------------


def admitted_tickets(checkin_list: CheckinList) -> QuerySet[Ticket]:
    """Return the tickets a check-in list admits by event and offer, whatever their state."""
    tickets = Ticket.objects.all()
    if checkin_list.include_sessions:
        tickets = tickets.filter(
            Q(offer__event_id=checkin_list.event_id)
            | Q(offer__event__parent_id=checkin_list.event_id)
        )
    else:
        tickets = tickets.filter(offer__event_id=checkin_list.event_id)
    if not checkin_list.all_offers:
        tickets = tickets.filter(offer__in=checkin_list.offers.all())
    return tickets


# An admission rule takes (checkin_list, ticket) and returns True to admit a ticket that the
# list's own event and offers do not: the orchestra's season member cards at its sessions.
AdmissionRule = Callable[[CheckinList, Ticket], bool]
_admission_rules: list[AdmissionRule] = []


def register_admission_rule(rule: AdmissionRule) -> AdmissionRule:
    """Let an app admit more tickets at some lists; registered in its AppConfig.ready().

    A rule is asked only about tickets the list does not admit by itself, so it costs
    nothing on an ordinary scan. It decides admission only: the ticket's state, validity
    and earlier entries are checked as for any other ticket.
    """
    if rule not in _admission_rules:
        _admission_rules.append(rule)
    return rule


def list_admits(checkin_list: CheckinList, ticket: Ticket) -> bool:
    """Return True if the list admits the ticket's offer (not its state)."""
    event_ok = ticket.offer.event_id == checkin_list.event_id or (
        checkin_list.include_sessions and ticket.offer.event.parent_id == checkin_list.event_id
    )
    if event_ok and (
        checkin_list.all_offers or checkin_list.offers.filter(pk=ticket.offer_id).exists()
    ):
        return True
    return any(rule(checkin_list, ticket) for rule in _admission_rules)


# An expected counter takes check-in lists and returns, per list id, how many more people
# the list expects than its own tickets say: the members a session expects, who come
# with season member cards. Asked once per list_statuses() call, with all its lists.
ExpectedCounter = Callable[[list[CheckinList]], dict[int, int]]
_expected_counters: list[ExpectedCounter] = []


def register_expected_counter(counter: ExpectedCounter) -> ExpectedCounter:
    """Let an app that admits more tickets (register_admission_rule) count them as
    expected; registered in its AppConfig.ready(). A counter must cost no query for
    lists it has nothing to say about."""
    if counter not in _expected_counters:
        _expected_counters.append(counter)
    return counter


def counting_scans(checkin_list: CheckinList) -> QuerySet[Checkin]:
    return Checkin.objects.filter(
        checkin_list=checkin_list, successful=True, annulled_at__isnull=True
    )


def _with_expected(lists: QuerySet[CheckinList]) -> QuerySet[CheckinList]:
    """Annotate check-in lists with the number of valid tickets each admits.

    Valid: not cancelled, registration confirmed; admitted by event (and its sessions
    when the list includes them) and offer.
    """
    expected = (
        Ticket.objects.filter(
            cancelled_at__isnull=True, registration__state=Registration.State.CONFIRMED
        )
        .filter(
            Q(offer__event_id=OuterRef("event_id"))
            | (
                Q(offer__event__parent_id=OuterRef("event_id"))
                & Exact(OuterRef("include_sessions"), True)
            )
        )
        .filter(Exact(OuterRef("all_offers"), True) | Q(offer__checkin_lists=OuterRef("pk")))
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk", distinct=True))
        .values("n")[:1]
    )
    return lists.annotate(expected=Coalesce(Subquery(expected), 0))


def list_statuses(lists) -> dict[int, dict]:
    """Return how many are expected, have come, and are inside now, for each list.

    Checked in: tickets with at least one entry. Inside: tickets with more entries than
    exits. Annulled scans do not count. Expected adds what registered expected counters
    say (register_expected_counter). Three queries whatever the number of lists, each
    a plain aggregate over the lists' own scans: a scanner's answer carries the status,
    so it must stay cheap when thousands are inside.
    """
    lists = list(lists)
    ids = [checkin_list.pk for checkin_list in lists]
    if not ids:
        return {}
    expected = dict(
        _with_expected(CheckinList.objects.filter(pk__in=ids)).values_list("pk", "expected")
    )
    for counter in _expected_counters:
        for pk, more in counter(lists).items():
            expected[pk] = expected.get(pk, 0) + more
    counted = Checkin.objects.filter(
        checkin_list_id__in=ids, successful=True, annulled_at__isnull=True
    ).order_by()
    checked_in = dict(
        counted.filter(type=Checkin.Type.ENTRY)
        .values("checkin_list")
        .annotate(n=Count("ticket", distinct=True))
        .values_list("checkin_list", "n")
    )
    balances = (
        counted.values("checkin_list", "ticket")
        .annotate(balance=Sum(Case(When(type=Checkin.Type.ENTRY, then=1), default=-1)))
        .filter(balance__gt=0)
    )
    if len(ids) == 1:
        inside = {ids[0]: balances.count()}
    else:
        inside = Counter(balances.values_list("checkin_list", flat=True))
    return {
        pk: {
            "expected": expected.get(pk, 0),
            "checked_in": checked_in.get(pk, 0),
            "inside": inside.get(pk, 0),
        }
        for pk in ids
    }


def list_status(checkin_list: CheckinList) -> dict:
    """Return the status of one list (see list_statuses)."""
    return list_statuses([checkin_list])[checkin_list.pk]


def scan_state(checkin_list: CheckinList, ticket: Ticket) -> tuple[int, str | None]:
    """Return a ticket's entries on the list and the type of its latest scan there.

    Latest in the order the server accepted the scans (their ids: a ticket's scans are
    recorded one at a time, with its row locked), not by the time a scanner reports: a
    scan sent with an earlier time must not slip in before the exit it follows.
    """
    scans = counting_scans(checkin_list).filter(ticket=ticket)
    entries = scans.filter(type=Checkin.Type.ENTRY).count()
    latest = scans.order_by("-pk").values_list("type", flat=True).first()
    return entries, latest


def checkin_lists() -> QuerySet[CheckinList]:
    """Return every check-in list, with what the scanner's pages show joined in."""
    return CheckinList.objects.select_related("event", "event__venue", "event__period")


def checkin_lists_for(user) -> QuerySet[CheckinList]:
    """Return the check-in lists the user may scan at (ticketing.policies.SCAN_AT_LIST)."""
    return SCAN_AT_LIST.filter(user, checkin_lists())


def can_scan(user, checkin_list: CheckinList) -> bool:
    return SCAN_AT_LIST.allows(user, checkin_list)


def may_see_child_names(user, event: Event) -> bool:
    """Return True if the user may see children's names on the event's tickets."""
    return SEE_CHILD_NAMES.allows(user, event)


def may_see_attendee_name(ticket: Ticket, *, user, manage_token: str = "") -> bool:
    """Return True if the viewer of a ticket's page may see its attendee's full name.

    Anyone holding the ticket sees an adult's name. A child's only the registration's own
    contact (who holds its manage link, or the login that registered), staff and the
    tutors of the ticket's event: the ticket's secret alone, which a host who scanned it
    holds, shows initials.
    """
    if not ticket.attendee_is_child:
        return True
    registration = ticket.registration
    if registration.is_manage_token(manage_token):
        return True
    if user is not None and user.is_authenticated and registration.user_id == user.pk:
        return True
    return may_see_child_names(user, ticket.offer.event)


def attendee_label(ticket: Ticket, *, child_names_visible: bool) -> str:
    """Return the attendee's name, or for a child seen by someone who may not, initials."""
    if not ticket.attendee_is_child or child_names_visible:
        return ticket.attendee_name
    return " ".join(f"{part[0]}." for part in ticket.attendee_name.split() if part)


def registrations_for_event(event: Event) -> QuerySet[Registration]:
    return with_likely_duplicates(
        Registration.objects.filter(event=event)
        .prefetch_related("tickets__offer", questions.answers_prefetch())
        .order_by("created_at", "pk")
    )


def with_likely_duplicates(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``likely_duplicate``: the registration is not cancelled and another one for
    the same event, not cancelled, has the same email or the same name (in any case, without
    the spaces at its ends). In the same query: a subquery per row on the event's index.

    Registrations cleared by the retention rules (no email, the anonymous name) match none.
    """
    active_elsewhere = (
        Registration.objects.filter(event=OuterRef("event"))
        .exclude(pk=OuterRef("pk"))
        .exclude(state=Registration.State.CANCELLED)
        .annotate(email_key=Lower("email"), name_key=Lower(Trim("name")))
    )
    same_email = active_elsewhere.filter(email_key=OuterRef("email_key")).exclude(email="")
    same_name = active_elsewhere.filter(name_key=OuterRef("name_key")).exclude(name=ANONYMOUS)
    return registrations.annotate(email_key=Lower("email"), name_key=Lower(Trim("name"))).annotate(
        likely_duplicate=Case(
            When(state=Registration.State.CANCELLED, then=Value(False)),
            When(Exists(same_email) | Exists(same_name), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def attendees_for_event(event: Event) -> QuerySet[Ticket]:
    """Return an event's tickets (waitlist excluded) with what an attendee list shows."""
    entries = Checkin.objects.filter(
        ticket=OuterRef("pk"), successful=True, annulled_at__isnull=True, type=Checkin.Type.ENTRY
    )
    return (
        Ticket.objects.filter(registration__event=event)
        .exclude(registration__state=Registration.State.WAITLISTED)
        .select_related("registration", "offer")
        .prefetch_related(questions.answers_prefetch("registration__answers"))
        .annotate(entries=Exists(entries))
        .order_by("attendee_name", "pk")
    )


def search_tickets(checkin_list: CheckinList, *, query: str, user, limit: int = 20):
    """Return up to `limit` tickets of the list whose attendee name or reference matches.

    A child's ticket is found by name only by someone who may see the child's name; anyone
    who may scan finds it by its reference.
    """
    query = query.strip()
    if len(query) < 2:
        return []
    by_name = Q(attendee_name__icontains=query)
    if not may_see_child_names(user, checkin_list.event):
        by_name &= Q(attendee_is_child=False)
    entries = counting_scans(checkin_list).filter(ticket=OuterRef("pk"), type=Checkin.Type.ENTRY)
    return list(
        admitted_tickets(checkin_list)
        .filter(by_name | Q(registration__code=query.upper()))
        .exclude(registration__state=Registration.State.WAITLISTED)
        .select_related("registration", "offer")
        .prefetch_related(questions.answers_prefetch("registration__answers"))
        .annotate(entries=Exists(entries))
        .order_by("attendee_name", "pk")[:limit]
    )


# The dashboard (ticketing.dashboard) --------------------------------------------------------

# How many events a dashboard panel lists at most.
DASHBOARD_ROWS = 8


def registration_activity(*, day_start, week_start, now) -> dict:
    """Count the registrations made today and this week (cancelled ones left out), and list
    the coming events with people on the waitlist or waiting for approval. Two queries."""
    live = ~Q(state=Registration.State.CANCELLED)
    counts = Registration.objects.filter(live, created_at__gte=week_start).aggregate(
        today=Count("pk", filter=Q(created_at__gte=day_start)), week=Count("pk")
    )
    waiting = Q(registrations__state=Registration.State.WAITLISTED)
    approval = Q(
        registrations__state=Registration.State.PENDING,
        registrations__needs_approval=True,
        registrations__approved_at__isnull=True,
    )
    events = list(
        Event.objects.filter(end__gte=now)
        .annotate(
            waiting=Count("registrations", filter=waiting),
            awaiting_approval=Count("registrations", filter=approval),
        )
        .filter(Q(waiting__gt=0) | Q(awaiting_approval__gt=0))
        .order_by("start", "pk")[:DASHBOARD_ROWS]
    )
    return {"today": counts["today"], "week": counts["week"], "events": events}


def hosted_lists_on(user, *, day_start, day_end) -> list[CheckinList]:
    """Return the check-in lists of the events the user hosts (directly or through the
    parent) that take place on the day, first to start first. One query."""
    hosted = Q(event__hosts=user) | Q(event__parent__hosts=user)
    return list(
        checkin_lists()
        .filter(hosted, event__start__lt=day_end, event__end__gte=day_start)
        .exclude(event__status=Event.Status.CANCELLED)
        .distinct()
        .order_by("event__start", "name", "pk")[:DASHBOARD_ROWS]
    )


_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=2))


def paying_registrations(event: Event) -> QuerySet[Registration]:
    """An event's registrations with something to pay or paid, with the sums paid and
    refunded (one query: both sums over the one join to payments)."""
    return (
        Registration.objects.filter(event=event)
        .filter(Q(total__gt=0) | Exists(Payment.objects.filter(registration=OuterRef("pk"))))
        .annotate(
            paid_sum=Coalesce(Sum("payments__amount", filter=Q(payments__kind="payment")), _ZERO),
            refunded_sum=Coalesce(
                Sum("payments__amount", filter=Q(payments__kind="refund")), _ZERO
            ),
        )
        .order_by("created_at", "pk")
    )


def payments_for_event(event: Event) -> QuerySet[Payment]:
    """Every payment and refund of an event's registrations, oldest first."""
    return (
        Payment.objects.filter(registration__event=event)
        .select_related("registration", "recorded_by")
        .order_by("created_at", "pk")
    )


def payment_attempts_for_event(event: Event) -> QuerySet[PaymentAttempt]:
    """The online payments begun for an event's registrations, newest first."""
    return PaymentAttempt.objects.filter(registration__event=event).select_related("registration")


# Paying ------------------------------------------------------------------------------------


def payment_totals(registration: Registration) -> tuple[Decimal, Decimal]:
    """Return the sums paid and refunded on a registration."""
    sums = {
        row["kind"]: row["total"]
        for row in registration.payments.values("kind").annotate(total=Sum("amount"))
    }
    return sums.get(Payment.Kind.PAYMENT, Decimal("0")), sums.get(Payment.Kind.REFUND, Decimal("0"))


def paid_amount(registration: Registration) -> Decimal:
    paid, refunded = payment_totals(registration)
    return paid - refunded


def amount_due(registration: Registration) -> Decimal:
    return max(registration.total - paid_amount(registration), Decimal("0"))


@dataclass(frozen=True)
class HowToPay:
    """What the pages and emails say about paying an unpaid registration."""

    amount: Decimal
    reference: str  # the registration's code, to write on a bank transfer
    providers: list  # online providers switched on (base.Provider)
    bank_account: str  # empty: no bank transfer
    held_until: datetime | None  # the places are held until then (an online payment began)


def how_to_pay(registration: Registration) -> HowToPay | None:
    """How an unpaid registration can be paid; None when nothing is owed (yet)."""
    if (
        registration.state != Registration.State.PENDING
        or registration.payment_state != Registration.Payment.UNPAID
        or (registration.needs_approval and registration.approved_at is None)
    ):
        return None
    return HowToPay(
        amount=amount_due(registration),
        reference=registration.code,
        providers=payments.providers(),
        bank_account=payments.bank_account(),
        held_until=registration.hold_expires_at,
    )
