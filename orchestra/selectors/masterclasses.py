"""Reads of master classes and concerts: who may sign up for which class, places left,
sign-ups and waitlists, participant lists, and the groups that play at a concert.

A sign-up is a ticketing Registration (the place, the waitlist) with a MasterClassSignUp
saying which member it is for; orchestra.services.masterclasses writes both. Every list here reads a
fixed number of queries, however many classes, children or sign-ups there are.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Programme
from orchestra.models import (
    Group,
    Guardianship,
    GuestEnsemble,
    MasterClassSignUp,
    Member,
    MemberInstrument,
    Section,
    SessionPlan,
)
from orchestra.selectors.members import is_orchestra_staff, members_with_details
from orchestra.selectors.sessions import ATTENDING, main_section
from orchestra.selectors.visibility import members_visible_to
from ticketing.models import Offer, Registration
from ticketing.selectors import places_left

# A group whose oldest age is at most this is a junior group: it plays at every concert.
JUNIOR_MAX_AGE = 13

SECTION_LABELS = dict(Section.choices)


def master_class_offer(event: Event) -> Offer | None:
    """Return the offer a master class's sign-ups use: its first."""
    return (
        Offer.objects.filter(event=event).select_related("pool").order_by("position", "pk").first()
    )


def active_sign_up(event: Event, member: Member) -> Registration | None:
    """Return the member's sign-up for the class (confirmed, pending or waitlisted)."""
    return (
        Registration.objects.filter(
            orchestra_sign_up__event=event, orchestra_sign_up__member=member
        )
        .exclude(state=Registration.State.CANCELLED)
        .first()
    )


def junior_groups(season_id: int) -> QuerySet[Group]:
    """Return the junior groups of a season: those for children up to JUNIOR_MAX_AGE."""
    return Group.objects.filter(season_id=season_id, max_age__lte=JUNIOR_MAX_AGE).order_by(
        "name", "pk"
    )


def eligibility_problem(member: Member, plan: SessionPlan) -> str | None:
    """Return why a member may not sign up for a planned class, or None if they may.

    The rule of sessions (orchestra.selectors.sessions.attends): an attending member
    (active or on trial) in one of the plan's groups on its day, playing a section it
    admits. Needs the member from members_with_details() and the plan's groups prefetched.
    """
    if getattr(member, "current_status", None) not in ATTENDING:
        return _("Only active members and members on trial can sign up.")
    day = timezone.localtime(plan.event.start).date()
    groups = list(plan.groups.all())
    group_ids = {group.pk for group in groups}
    if not any(
        membership.group_id in group_ids and membership.is_current_on(day)
        for membership in member.memberships.all()
    ):
        return _("This master class is for %(groups)s only.") % {
            "groups": ", ".join(group.name for group in groups)
        }
    if plan.sections:
        section = main_section(member)
        if section not in plan.sections:
            return _("This master class is for %(sections)s only.") % {
                "sections": ", ".join(str(SECTION_LABELS.get(s, s)) for s in plan.sections)
            }
    return None


# Master classes with their places -----------------------------------------------------------


@dataclass
class MasterClass:
    """A master class with its plan, offer and the places left (None: unlimited)."""

    event: Event
    plan: SessionPlan | None
    offer: Offer | None
    capacity: int | None
    places_left: int | None
    waiting: int = 0

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def master_class_events() -> QuerySet[Event]:
    return Event.objects.filter(kind=Event.Kind.MASTER_CLASS).select_related(
        "venue", "period", "parent"
    )


def with_places(events: Iterable[Event], *, now=None) -> list[MasterClass]:
    """Return the classes with plans, offers and places left, in four queries."""
    now = now or timezone.now()
    events = list(events)
    ids = [event.pk for event in events]
    plans = {
        plan.event_id: plan
        for plan in SessionPlan.objects.filter(event_id__in=ids).prefetch_related(
            "groups", "tutors"
        )
    }
    offers: dict[int, Offer] = {}
    for offer in (
        Offer.objects.filter(event_id__in=ids).select_related("pool").order_by("position", "pk")
    ):
        offers.setdefault(offer.event_id, offer)
    pools = [offer.pool for offer in offers.values() if offer.pool_id]
    left = places_left(pools, now=now) if pools else {}
    waiting: dict[int, int] = defaultdict(int)
    for event_id in Registration.objects.filter(
        event_id__in=ids,
        state=Registration.State.WAITLISTED,
        waitlist_offer_expires_at__isnull=True,
    ).values_list("event_id", flat=True):
        waiting[event_id] += 1
    classes = []
    for event in events:
        if event.pk in plans:
            # The plan's event is this one: no query per plan for plan.event.
            plans[event.pk].event = event
        offer = offers.get(event.pk)
        pool_id = offer.pool_id if offer else None
        classes.append(
            MasterClass(
                event=event,
                plan=plans.get(event.pk),
                offer=offer,
                capacity=offer.pool.size if pool_id else None,
                places_left=left.get(pool_id) if pool_id else None,
                waiting=waiting[event.pk],
            )
        )
    return classes


def signing_up_for(user) -> QuerySet[Member]:
    """Return the members a user signs up: their children, and themself from 13."""
    if user is None or not user.is_authenticated:
        return Member.objects.none()
    today = timezone.localdate()
    own = [m.pk for m in Member.objects.filter(user=user) if m.may_have_own_login_on(today)]
    return members_visible_to(user).filter(
        Q(pk__in=Guardianship.objects.filter(guardian__user=user).values("member_id"))
        | Q(pk__in=own),
        anonymised_at__isnull=True,
    )


def master_classes_visible_to(user) -> QuerySet[Event]:
    """Return the master classes a user sees in lists: staff all, a tutor those they
    lead, a guardian or member those of the seasons of their (own) groups."""
    events = master_class_events()
    if user is None or not user.is_authenticated:
        return events.none()
    if is_orchestra_staff(user):
        return events
    own = Member.objects.filter(
        Q(guardianships__guardian__user=user) | Q(user=user), anonymised_at__isnull=True
    )
    groups = Group.objects.filter(memberships__member__in=own)
    return events.filter(
        Q(orchestra_plan__tutors=user) | Q(orchestra_plan__groups__in=groups)
    ).distinct()


def led_master_classes(user) -> QuerySet[Event]:
    """Return the master classes whose participants a user may list: staff all, tutors theirs."""
    events = master_class_events()
    if user is None or not user.is_authenticated:
        return events.none()
    if is_orchestra_staff(user):
        return events
    return events.filter(orchestra_plan__tutors=user).distinct()


# A child's master classes -------------------------------------------------------------------


@dataclass
class ChildOption:
    """One class as one child sees it: may they sign up, and where they stand."""

    master_class: MasterClass
    problem: str | None
    registration: Registration | None
    waitlist_position: int | None = None

    @property
    def eligible(self) -> bool:
        return self.problem is None

    @property
    def state(self) -> str:
        """One of: confirmed, pending, offered, waitlisted, none."""
        registration = self.registration
        if registration is None:
            return "none"
        if registration.state == Registration.State.WAITLISTED:
            return "offered" if registration.has_open_waitlist_offer else "waitlisted"
        return registration.state


@dataclass
class ChildClasses:
    member: Member
    options: list[ChildOption] = field(default_factory=list)


def sign_ups_of(member_ids: Iterable[int], *, events=None) -> dict[int, list[Registration]]:
    """Return, per member id, their sign-ups that are not cancelled, in one query."""
    sign_ups = (
        MasterClassSignUp.objects.filter(member_id__in=list(member_ids))
        .exclude(registration__state=Registration.State.CANCELLED)
        .select_related("registration__event__venue", "registration__event__parent")
        .order_by("event__start", "pk")
    )
    if events is not None:
        sign_ups = sign_ups.filter(event__in=events)
    found: dict[int, list[Registration]] = defaultdict(list)
    for sign_up in sign_ups:
        found[sign_up.member_id].append(sign_up.registration)
    return found


def waitlist_positions(event_ids: Iterable[int]) -> dict[int, int]:
    """Return each waiting registration's place in its class's line (1: next), one query."""
    positions: dict[int, int] = {}
    counters: dict[int, int] = defaultdict(int)
    for pk, event_id in (
        Registration.objects.filter(
            event_id__in=list(event_ids),
            state=Registration.State.WAITLISTED,
            waitlist_offer_expires_at__isnull=True,
        )
        .order_by("created_at", "pk")
        .values_list("pk", "event_id")
    ):
        counters[event_id] += 1
        positions[pk] = counters[event_id]
    return positions


def upcoming_for_children(members: QuerySet[Member], *, now=None) -> list[ChildClasses]:
    """Return each member with the upcoming master classes they may sign up for, or are
    signed up for, with places left and their sign-up. A fixed number of queries.

    ``members`` must be limited to those the user may see (their own children).
    """
    now = now or timezone.now()
    children = list(
        members_with_details(members.filter(anonymised_at__isnull=True)).order_by(
            "birth_date", "pk"
        )
    )
    classes = with_places(
        master_class_events()
        .filter(end__gte=now)
        .exclude(visibility=Event.Visibility.STAFF)
        .order_by("start", "pk"),
        now=now,
    )
    sign_ups = sign_ups_of([child.pk for child in children], events=[c.event.pk for c in classes])
    positions = waitlist_positions(c.event.pk for c in classes)
    result = []
    for child in children:
        by_event = {r.event_id: r for r in sign_ups.get(child.pk, [])}
        options = []
        for master_class in classes:
            registration = by_event.get(master_class.event.pk)
            problem = (
                eligibility_problem(child, master_class.plan)
                if master_class.plan is not None
                else _("This master class takes no sign-ups.")
            )
            if problem and registration is None:
                continue
            options.append(
                ChildOption(
                    master_class=master_class,
                    problem=problem,
                    registration=registration,
                    waitlist_position=positions.get(registration.pk) if registration else None,
                )
            )
        result.append(ChildClasses(member=child, options=options))
    return result


# Participants -------------------------------------------------------------------------------


@dataclass
class Participant:
    member: Member | None
    registration: Registration
    instrument: str | None
    waitlist_position: int | None

    @property
    def state(self) -> str:
        if self.registration.state == Registration.State.WAITLISTED:
            return "offered" if self.registration.has_open_waitlist_offer else "waitlisted"
        return self.registration.state


def participants(event: Event) -> list[Participant]:
    """Return the class's sign-ups that are not cancelled: confirmed first, then the
    waitlist in its order. Three queries."""
    registrations = list(
        Registration.objects.filter(event=event)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("orchestra_sign_up")
        .order_by("created_at", "pk")
    )
    member_of = {
        r.pk: r.orchestra_sign_up.member_id
        for r in registrations
        if getattr(r, "orchestra_sign_up", None) is not None
    }
    members = {
        member.pk: member
        for member in Member.objects.filter(pk__in=set(member_of.values())).prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            )
        )
    }
    positions = waitlist_positions([event.pk])
    rows = []
    for registration in registrations:
        member = members.get(member_of.get(registration.pk))
        main = None
        if member is not None:
            main = next(
                (p.instrument.name for p in member.member_instruments.all() if p.is_main), None
            )
        rows.append(
            Participant(
                member=member,
                registration=registration,
                instrument=main,
                waitlist_position=positions.get(registration.pk),
            )
        )
    waiting = Registration.State.WAITLISTED
    return sorted(
        rows, key=lambda row: (row.registration.state == waiting, row.waitlist_position or 0)
    )


def signed_up_events_of(member_ids: Iterable[int]) -> dict[int, list[Event]]:
    """Return, per member id, the master classes they have a confirmed place at."""
    found: dict[int, list[Event]] = defaultdict(list)
    for sign_up in (
        MasterClassSignUp.objects.filter(
            member_id__in=list(member_ids), registration__state=Registration.State.CONFIRMED
        )
        .select_related("event", "event__venue", "event__parent")
        .order_by("event__start", "pk")
    ):
        found[sign_up.member_id].append(sign_up.event)
    return dict(found)


# Concerts -----------------------------------------------------------------------------------


@dataclass
class ConcertLineUp:
    groups: list[Group]
    guest_ensembles: list[GuestEnsemble]


def concert_line_up(event: Event) -> ConcertLineUp:
    """Return the groups (from the concert's plan) and guest ensembles of a concert."""
    groups = list(
        Group.objects.filter(session_plans__event=event).order_by("-max_age", "name", "pk")
    )
    ensembles = list(GuestEnsemble.objects.filter(event=event).order_by("name", "pk"))
    return ConcertLineUp(groups=groups, guest_ensembles=ensembles)


@dataclass
class PlannedConcert:
    """A concert with the groups that play, the season's groups to choose from, its guest
    ensembles and ticketing's offers with places left."""

    event: Event
    groups: list[Group]
    season_groups: list[Group]
    junior_group_ids: set[int]
    guest_ensembles: list[GuestEnsemble]
    offers: list[tuple[Offer, int | None]]

    @property
    def planned(self) -> bool:
        return bool(self.groups)

    @property
    def guest_players(self) -> int:
        return sum(ensemble.players for ensemble in self.guest_ensembles)


def orchestra_concerts() -> QuerySet[Event]:
    """Return the concerts of orchestra seasons."""
    return Event.objects.filter(
        kind=Event.Kind.CONCERT, period__programme__kind=Programme.Kind.ORCHESTRA
    ).select_related("venue", "period", "parent")


def planned_concerts(events: Iterable[Event], *, now=None) -> list[PlannedConcert]:
    """Return the concerts with their line-ups and offers, in six queries."""
    events = list(events)
    ids = [event.pk for event in events]
    groups: dict[int, list[Group]] = defaultdict(list)
    for plan in SessionPlan.objects.filter(event_id__in=ids).prefetch_related("groups"):
        groups[plan.event_id] = sorted(
            plan.groups.all(), key=lambda group: (-group.max_age, group.name, group.pk)
        )
    season_groups: dict[int, list[Group]] = defaultdict(list)
    for group in Group.objects.filter(season_id__in={e.period_id for e in events}).order_by(
        "-max_age", "name", "pk"
    ):
        season_groups[group.season_id].append(group)
    ensembles: dict[int, list[GuestEnsemble]] = defaultdict(list)
    for ensemble in GuestEnsemble.objects.filter(event_id__in=ids).order_by("name", "pk"):
        ensembles[ensemble.event_id].append(ensemble)
    offers = list(
        Offer.objects.filter(event_id__in=ids).select_related("pool").order_by("position", "pk")
    )
    pools = {offer.pool_id: offer.pool for offer in offers if offer.pool_id}
    left = places_left(pools.values(), now=now) if pools else {}
    offers_of: dict[int, list[tuple[Offer, int | None]]] = defaultdict(list)
    for offer in offers:
        offers_of[offer.event_id].append((offer, left.get(offer.pool_id)))
    return [
        PlannedConcert(
            event=event,
            groups=groups[event.pk],
            season_groups=season_groups[event.period_id],
            junior_group_ids={
                g.pk for g in season_groups[event.period_id] if g.max_age <= JUNIOR_MAX_AGE
            },
            guest_ensembles=ensembles[event.pk],
            offers=offers_of[event.pk],
        )
        for event in events
    ]
