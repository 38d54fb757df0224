"""Workflows of master classes and concerts.

A master class is an events.Event of kind master_class with a SessionPlan (its tutors,
the groups and sections it is for) and one ticketing Offer, not public, drawing on a
CapacityPool. A sign-up is a ticketing Registration made through ticketing.register():
the registration is the guardian's (name, email), the one ticket is the child's
(attendee_is_child), and a full class puts the sign-up on ticketing's waitlist, whose
expiring offers hand freed places on. Capacity is ticketing's alone.

Which member a registration signs up is a MasterClassSignUp: one per member and class,
pointed at the newest registration when a member signs up again after cancelling.
Logging names ids only.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event, Period, Venue
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    Group,
    Guardianship,
    MasterClassSignUp,
    Member,
    Section,
    SessionPlan,
)
from orchestra.selectors.masterclasses import (
    active_sign_up,
    eligibility_problem,
    junior_groups,
    master_class_offer,
)
from orchestra.selectors.members import is_orchestra_staff, members_with_details
from ticketing import services as ticketing
from ticketing.exceptions import CapacityError, TicketingError
from ticketing.models import CapacityPool, Offer, Registration

logger = logging.getLogger("orchestra.services")


# Setting up ---------------------------------------------------------------------------------


@transaction.atomic
def create_master_class(
    *,
    season: Period,
    title_nb: str,
    start: datetime,
    end: datetime,
    capacity: int,
    groups: list[Group],
    tutors=(),
    sections: list[str] | None = None,
    title_en: str = "",
    description_nb: str = "",
    description_en: str = "",
    venue: Venue | None = None,
    sales_start: datetime | None = None,
    sales_end: datetime | None = None,
    by=None,
) -> Event:
    """Create a master class: its event (for members), plan, capacity pool and offer.

    Preconditions: ``by`` is staff; at least one group, all of the season; a capacity of at
    least one place; known sections (empty: every section).
    """
    if by is not None and not is_orchestra_staff(by):
        raise OrchestraError(_("Only the project leader sets up master classes."))
    event = Event(
        period=season,
        kind=Event.Kind.MASTER_CLASS,
        title_nb=title_nb.strip(),
        title_en=title_en.strip(),
        description_nb=description_nb,
        description_en=description_en,
        venue=venue,
        start=start,
        end=end,
        visibility=Event.Visibility.MEMBERS,
    )
    event.full_clean()
    event.save()
    set_up_master_class(
        event=event,
        capacity=capacity,
        groups=groups,
        tutors=tutors,
        sections=sections,
        sales_start=sales_start,
        sales_end=sales_end,
    )
    logger.info("master class %s created by user %s", event.pk, getattr(by, "pk", None))
    return event


@transaction.atomic
def set_up_master_class(
    *,
    event: Event,
    capacity: int,
    groups,
    tutors=(),
    sections: list[str] | None = None,
    sales_start: datetime | None = None,
    sales_end: datetime | None = None,
) -> Event:
    """Give a master-class event its plan (groups, sections, tutors), capacity pool and
    offer, so that members can sign up (create_master_class makes the event first).

    Preconditions: the event is a master class with no plan yet; at least one group, all
    of its season; a capacity of at least one place; known sections (empty: every one).
    """
    groups = list(groups)
    if event.kind != Event.Kind.MASTER_CLASS:
        raise OrchestraError(_("This is not a master class."))
    if not groups:
        raise OrchestraError(_("Choose the groups the master class is for."))
    if any(group.season_id != event.period_id for group in groups):
        raise OrchestraError(_("The groups must belong to the master class's season."))
    if capacity is None or capacity < 1:
        raise OrchestraError(_("A master class needs at least one place."))
    unknown = set(sections or []) - set(Section.values)
    if unknown:
        raise OrchestraError(_("Unknown sections: %s") % ", ".join(sorted(unknown)))
    if SessionPlan.objects.filter(event=event).exists():
        raise OrchestraError(_("This master class is set up already."))
    plan = SessionPlan(event=event, sections=list(sections or []))
    plan.full_clean()
    plan.save()
    plan.groups.set(groups)
    plan.tutors.set(list(tutors))
    if tutors:
        event.hosts.add(*tutors)
    pool = CapacityPool(event=event, name=event.title_nb[:200], size=capacity)
    pool.full_clean()
    pool.save()
    offer = Offer(
        event=event,
        name_nb="Plass på mesterklassen",
        name_en="Place in the master class",
        pool=pool,
        is_public=False,
        max_per_registration=1,
        sales_start=sales_start,
        sales_end=sales_end,
    )
    offer.full_clean()
    offer.save()
    return event


# Signing up ---------------------------------------------------------------------------------


def may_sign_up_for(user, member: Member, *, today=None) -> bool:
    """Return True for staff, the member's guardians, and the member's own login (13+)."""
    if user is None or not user.is_authenticated:
        return False
    if is_orchestra_staff(user):
        return True
    if member.user_id is not None and member.user_id == user.pk:
        return member.may_have_own_login_on(today or timezone.localdate())
    return Guardianship.objects.filter(guardian__user=user, member=member).exists()


@dataclass(frozen=True)
class SignUp:
    registration: Registration
    waitlisted: bool


def _contact_of(member: Member, by) -> tuple[str, str, str]:
    """Return the registration's name, email and phone: the signing guardian's, else the
    member's first guardian's, else the login's own."""
    links = Guardianship.objects.filter(member=member).select_related("guardian").order_by("pk")
    chosen = next((link for link in links if link.guardian.user_id == by.pk), None)
    chosen = chosen or links.first()
    if chosen is not None:
        guardian = chosen.guardian
        return f"{guardian.first_name} {guardian.last_name}", guardian.email, guardian.phone
    name = by.get_full_name() or by.get_username()
    return name, by.email, ""


@transaction.atomic
def sign_up(
    *,
    event: Event,
    member: Member,
    by,
    join_waitlist: bool = True,
    now: datetime | None = None,
) -> SignUp:
    """Sign a member up for a master class, or put them on its waitlist when it is full.

    Preconditions: ``by`` may sign up for the member (may_sign_up_for); the event is a
    master class that has not started, is not cancelled and is open for sign-up; the
    member is eligible (an attending member of one of its groups, in a section it
    admits) and not signed up already. Without ``join_waitlist`` a full class is an
    error. The member's row is locked, so two guardians of one child cannot sign them up
    twice; the places are counted by ticketing under its pool lock.
    """
    now = now or timezone.now()
    if not may_sign_up_for(by, member, today=timezone.localdate(now)):
        raise OrchestraError(_("You may not sign up this member."))
    if event.kind != Event.Kind.MASTER_CLASS:
        raise OrchestraError(_("This is not a master class."))
    if event.is_cancelled:
        raise OrchestraError(_("The master class is cancelled."))
    if event.start <= now:
        raise OrchestraError(_("The master class has started: sign-up is closed."))
    offer = master_class_offer(event)
    if offer is None:
        raise OrchestraError(_("This master class takes no sign-ups."))
    if not offer.on_sale(now):
        raise OrchestraError(_("Sign-up for this master class is not open."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    detailed = members_with_details(Member.objects.filter(pk=member.pk)).get()
    plan = SessionPlan.objects.prefetch_related("groups").get(event=event)
    problem = eligibility_problem(detailed, plan)
    if problem:
        raise OrchestraError(problem)
    if active_sign_up(event, member) is not None:
        raise OrchestraError(_("This member is signed up already."))
    name, email, phone = _contact_of(member, by)
    try:
        registration = ticketing.register(
            event=event,
            tickets=[
                ticketing.TicketRequest(
                    offer=offer,
                    attendee_name=f"{member.first_name} {member.last_name}",
                    attendee_is_child=True,
                )
            ],
            name=name,
            email=email,
            phone=phone,
            user=by,
            language=translation.get_language() or "nb",
            join_waitlist=join_waitlist,
            # The offer is not public: only this service registers for it, after the
            # checks above; the sales window was checked there too.
            staff=True,
            now=now,
            by=by,
        )
    except CapacityError as exc:
        raise OrchestraError(_("The master class is full. You can join the waitlist.")) from exc
    MasterClassSignUp.objects.update_or_create(
        event=event,
        member=member,
        defaults={"registration": registration, "signed_up_by": by},
    )
    waitlisted = registration.state == Registration.State.WAITLISTED
    logger.info(
        "master class %s: member %s %s (registration %s) by user %s",
        event.pk,
        member.pk,
        "waitlisted" if waitlisted else "signed up",
        registration.pk,
        by.pk,
    )
    return SignUp(registration=registration, waitlisted=waitlisted)


def _sign_up_of(event: Event, member: Member, by) -> Registration:
    if not may_sign_up_for(by, member):
        raise OrchestraError(_("You may not change this member's sign-ups."))
    registration = active_sign_up(event, member)
    if registration is None:
        raise OrchestraError(_("This member is not signed up for this master class."))
    return registration


@transaction.atomic
def cancel_sign_up(*, event: Event, member: Member, by, now=None) -> Registration:
    """Cancel a member's sign-up (or place on the waitlist); ticketing offers the freed
    place to the first in line.

    Preconditions: ``by`` may sign up for the member; the member is signed up or waiting.
    """
    registration = _sign_up_of(event, member, by)
    try:
        registration = ticketing.cancel_registration(registration=registration, now=now, by=by)
    except TicketingError as exc:
        raise OrchestraError(str(exc)) from exc
    logger.info("master class %s: member %s cancelled by user %s", event.pk, member.pk, by.pk)
    return registration


@transaction.atomic
def accept_offered_place(*, event: Event, member: Member, by, now=None) -> Registration:
    """Take the place the waitlist offers a member, before the offer expires."""
    registration = _sign_up_of(event, member, by)
    try:
        registration = ticketing.accept_waitlist_offer(registration=registration, now=now, by=by)
    except TicketingError as exc:
        raise OrchestraError(str(exc)) from exc
    logger.info(
        "master class %s: member %s took an offered place, by user %s",
        event.pk,
        member.pk,
        by.pk,
    )
    return registration


# Concerts -----------------------------------------------------------------------------------


@transaction.atomic
def plan_concert(*, event: Event, groups, by=None) -> SessionPlan:
    """Say which groups play at a concert; the season's junior groups always do.

    A junior group is a group of the concert's season whose oldest age is 13 or less
    (orchestra.selectors.masterclasses.junior_groups): the juniors take part in every
    concert. Preconditions: ``by`` is staff; the event is a concert; the groups belong
    to its season.
    """
    if by is not None and not is_orchestra_staff(by):
        raise OrchestraError(_("Only the project leader plans concerts."))
    if event.kind != Event.Kind.CONCERT:
        raise OrchestraError(_("This is not a concert."))
    groups = list(groups)
    if any(group.season_id != event.period_id for group in groups):
        raise OrchestraError(_("The groups must belong to the concert's season."))
    chosen = {group.pk: group for group in [*groups, *junior_groups(event.period_id)]}
    if not chosen:
        raise OrchestraError(_("Choose the groups that play at the concert."))
    plan = SessionPlan.objects.filter(event=event).first()
    if plan is None:
        plan = SessionPlan(event=event, sections=[])
        plan.full_clean()
        plan.save()
    plan.groups.set(list(chosen.values()))
    logger.info(
        "concert %s planned with groups %s by user %s",
        event.pk,
        sorted(chosen),
        getattr(by, "pk", None),
    )
    return plan
