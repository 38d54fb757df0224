"""Reads of tours: who may see which tour and participant, checklists, the ratio check,
budget against costs, the participant list, the emergency sheet and the tour events of
private calendars.

Restricted data (medical notes and emergency contacts for the trip) is for staff always,
and for the tour's own leaders (participants of role tour leader with a login) from
TOUR_LEADER_DAYS_BEFORE days before the tour's first day to its last day, in the
destination's time zone: the week before is when leaders prepare and call parents; after
the last day they have no reason to read it. Nobody else sees it, guardians excepted for
what they entered about their own child. The same window holds for a leader's view of the
participants at all (their names, checklists and contacts): tours_open_to_leader() is that
one rule, and every page and endpoint a leader reads participants through asks it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from orchestra.models import ConsentText, Guardianship, Member
from orchestra.models.tours import Tour, TourCost, TourParticipant
from orchestra.selectors.consents import standing_consents
from orchestra.selectors.members import is_orchestra_staff

# One adult per this many minors, at least.
MINORS_PER_ADULT = 6


def tours_with_details(queryset: QuerySet[Tour]) -> QuerySet[Tour]:
    return queryset.select_related("event", "event__venue", "event__period")


def tours_led_by(user) -> QuerySet[Tour]:
    """Return the tours on which a login is a tour leader."""
    if user is None or not user.is_authenticated:
        return Tour.objects.none()
    return Tour.objects.filter(
        participants__user=user, participants__role=TourParticipant.Role.TOUR_LEADER
    ).distinct()


def tours_open_to_leader(user, *, today: date | None = None) -> QuerySet[Tour]:
    """Return the tours whose participants a login may see as their tour leader today:
    the tours they lead whose leaders' window (Tour.leader_access_window()) holds today.

    The one rule of a tour leader's access to participants: the participant page, the
    emergency sheet, /api/v1/tour-participants/, the links to them and the members'
    medical notes all ask it. Two queries at most (the window is in each destination's
    time zone, so it is worked out per tour in Python; a leader leads few tours).
    """
    if user is None or not user.is_authenticated:
        return Tour.objects.none()
    today = today or timezone.localdate()
    led = tours_led_by(user).select_related("event")
    return Tour.objects.filter(pk__in=[t.pk for t in led if t.leader_window_open_on(today)])


def leads_tour_now(user, tour: Tour, *, today: date | None = None) -> bool:
    """Return True if the login is a leader of the tour and today is in its leaders' window."""
    return tours_open_to_leader(user, today=today).filter(pk=tour.pk).exists()


def may_see_restricted(user, tour: Tour, *, today: date | None = None) -> bool:
    """Return True if a login may read the tour's participants, their medical notes and
    emergency contacts: staff always, its leaders in their window."""
    return is_orchestra_staff(user) or leads_tour_now(user, tour, today=today)


def tours_visible_to(user) -> QuerySet[Tour]:
    """Return the tours a login may see: staff all; tour leaders theirs; guardians and
    members with their own login those they (or their children) take part in."""
    if user is None or not user.is_authenticated:
        return Tour.objects.none()
    if is_orchestra_staff(user):
        return Tour.objects.all()
    own_members = Member.objects.filter(
        Q(pk__in=Guardianship.objects.filter(guardian__user=user).values("member_id"))
        | Q(user=user)
    ).values("pk")
    return Tour.objects.filter(
        Q(participants__user=user, participants__role=TourParticipant.Role.TOUR_LEADER)
        | Q(participants__member__in=own_members)
    ).distinct()


def participants_visible_to(user) -> QuerySet[TourParticipant]:
    """Return the participants a login may see: staff all; a tour leader those of their
    tours during the leaders' window only (tours_open_to_leader()); a guardian their own
    children's; a member with their own login themself."""
    if user is None or not user.is_authenticated:
        return TourParticipant.objects.none()
    if is_orchestra_staff(user):
        return TourParticipant.objects.all()
    own_children = Guardianship.objects.filter(guardian__user=user).values("member_id")
    return TourParticipant.objects.filter(
        Q(tour__in=tours_open_to_leader(user)) | Q(member__in=own_children) | Q(member__user=user)
    )


def participants_with_details(queryset: QuerySet[TourParticipant]) -> QuerySet[TourParticipant]:
    return queryset.select_related("member", "user", "tour", "tour__event")


def restricted_access(user, *, today: date | None = None) -> Callable[[TourParticipant], bool]:
    """Return a test of whether a login may read a participant's restricted fields
    (emergency contacts, medical notes, dietary needs for the trip), in a fixed number of
    queries.

    Staff: every participant. A tour leader: those of the tours they lead, within the
    leaders' window. A guardian: their own children (they wrote it). A member with their
    own login: themself. Anyone else: nobody.
    """
    if is_orchestra_staff(user):
        return lambda participant: True
    if user is None or not user.is_authenticated:
        return lambda participant: False
    open_tours = set(tours_open_to_leader(user, today=today).values_list("pk", flat=True))
    own = set(
        Member.objects.filter(
            Q(pk__in=Guardianship.objects.filter(guardian__user=user).values("member_id"))
            | Q(user=user)
        ).values_list("pk", flat=True)
    )
    return lambda participant: participant.tour_id in open_tours or participant.member_id in own


# Checklists, ratio, budget ---------------------------------------------------------------


@dataclass
class Checklist:
    participant: TourParticipant
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def travel_consented_member_ids(tour: Tour) -> set[int]:
    """Return the ids of the tour's players with a guardian's travel consent standing now
    (orchestra.selectors.consents)."""
    return set(
        standing_consents(ConsentText.Kind.TRAVEL)
        .filter(member__tour_participations__tour=tour)
        .values_list("member_id", flat=True)
    )


def checklist_of(
    participant: TourParticipant, tour: Tour, *, consented: set[int] | None = None
) -> Checklist:
    """Return what is missing for one participant (passport valid through the last day,
    health insurance card, share, police certificate for responsible adults, travel consent
    and emergency contacts for players)."""
    missing = []
    if participant.passport_valid_until is None:
        missing.append(_("passport"))
    elif participant.passport_valid_until < tour.last_day:
        missing.append(_("passport valid through the trip"))
    if not participant.ehic:
        missing.append(_("European health insurance card"))
    if not participant.share_paid:
        missing.append(_("share paid"))
    if participant.is_responsible and participant.police_certificate_seen_on is None:
        missing.append(_("police certificate seen"))
    if participant.role == TourParticipant.Role.PLAYER:
        if consented is None:
            consented = travel_consented_member_ids(tour)
        if participant.member_id not in consented:
            missing.append(_("travel consent"))
        if not participant.emergency_contacts.strip():
            missing.append(_("emergency contacts"))
    return Checklist(participant, missing)


@dataclass
class Ratio:
    adults: int
    minors: int

    @property
    def warning(self) -> bool:
        """True when fewer than one adult per MINORS_PER_ADULT minors is signed up."""
        return self.adults * MINORS_PER_ADULT < self.minors


def ratio_of(tour: Tour, participants: list[TourParticipant] | None = None) -> Ratio:
    """Count adults and minors by age on the tour's first day."""
    if participants is None:
        participants = list(tour.participants.select_related("member"))
    first_day = tour.first_day
    minors = sum(1 for p in participants if p.is_minor_on(first_day))
    return Ratio(adults=len(participants) - minors, minors=minors)


@dataclass
class Budget:
    budget: Decimal
    actual: Decimal

    @property
    def overrun(self) -> Decimal:
        """How much the costs exceed the budget; zero when they do not."""
        return max(self.actual - self.budget, Decimal("0"))

    @property
    def difference(self) -> Decimal:
        return self.budget - self.actual


def budget_of(tour: Tour) -> Budget:
    actual = tour.costs.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return Budget(budget=tour.budget, actual=actual)


# Pages ------------------------------------------------------------------------------------


def tour_participants(tour: Tour) -> list[TourParticipant]:
    """Return the tour's participants by role, then name, in a fixed number of queries."""
    order = {role: index for index, role in enumerate(TourParticipant.Role.values)}
    participants = list(participants_with_details(tour.participants.all()))
    return sorted(participants, key=lambda p: (order[p.role], p.display_name.lower(), p.pk))


@dataclass
class TourOverview:
    tour: Tour
    by_role: list[tuple[str, list[Checklist]]]
    ratio: Ratio
    budget: Budget
    costs: list[TourCost]
    itinerary: list[Event]


def itinerary_of(tour: Tour) -> list[Event]:
    return list(tour.event.children.select_related("venue", "parent").order_by("start", "pk"))


def tour_overview(tour: Tour) -> TourOverview:
    """Return what the staff tour page shows, in a fixed number of queries."""
    participants = tour_participants(tour)
    consented = travel_consented_member_ids(tour)
    labels = dict(TourParticipant.Role.choices)
    by_role = []
    for role in TourParticipant.Role.values:
        in_role = [
            checklist_of(p, tour, consented=consented) for p in participants if p.role == role
        ]
        if in_role:
            by_role.append((labels[role], in_role))
    return TourOverview(
        tour=tour,
        by_role=by_role,
        ratio=ratio_of(tour, participants),
        budget=budget_of(tour),
        costs=list(tour.costs.order_by("paid_on", "pk")),
        itinerary=itinerary_of(tour),
    )


def guardian_numbers(members: list[int]) -> dict[int, list[str]]:
    """Return, per member id, their guardians' names and phones for the emergency sheet."""
    numbers: dict[int, list[str]] = {}
    for link in Guardianship.objects.filter(member__in=members).select_related("guardian"):
        g = link.guardian
        numbers.setdefault(link.member_id, []).append(
            f"{g.first_name} {g.last_name} ({link.get_relation_display()}) {g.phone}".strip()
        )
    return numbers


# Calendars ----------------------------------------------------------------------------------


def tour_events_for(
    members: list[Member], into: dict[int, list[Event]] | None = None
) -> dict[int, list[Event]]:
    """Return, per member id, the tours the members take part in as players, with each
    tour's itinerary; added to ``into`` when given (signed_up_events' result).

    Two queries, however many members and tours.
    """
    result: dict[int, list[Event]] = {} if into is None else into
    ids = [member.pk for member in members]
    if not ids:
        return result
    taking_part = list(
        TourParticipant.objects.filter(
            member__in=ids, role=TourParticipant.Role.PLAYER
        ).select_related("tour__event__venue", "tour__event__parent")
    )
    tour_event_ids = {p.tour.event_id for p in taking_part}
    legs: dict[int, list[Event]] = {}
    for leg in Event.objects.filter(parent__in=tour_event_ids).select_related("venue", "parent"):
        legs.setdefault(leg.parent_id, []).append(leg)
    for participant in taking_part:
        event = participant.tour.event
        result.setdefault(participant.member_id, []).extend([event, *legs.get(event.pk, [])])
    return result


def tours_of_guardian(user) -> QuerySet[TourParticipant]:
    """Return the tour participations of a guardian's own children."""
    own_children = Guardianship.objects.filter(guardian__user=user).values("member_id")
    return participants_with_details(TourParticipant.objects.filter(member__in=own_children))
