"""Reads about sessions: which sessions each member attends, and whom a session expects."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.models import Event
from orchestra.models import Member, SessionPlan, StatusChange
from orchestra.selectors.members import members_with_details, status_on

# Members in these states are expected at their groups' sessions; applicants, members on
# leave and those who left are not.
ATTENDING = (StatusChange.Status.ACTIVE, StatusChange.Status.TRIAL)


def ever_attending(queryset: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Return the members who were active or on trial at some time: those a session may
    expect. attends() decides with their status on the session's day."""
    queryset = Member.objects.all() if queryset is None else queryset
    return queryset.filter(
        pk__in=StatusChange.objects.filter(status__in=ATTENDING).values("member_id")
    )


def session_plans(
    *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[SessionPlan]:
    """Return the session plans with their event and groups, optionally within a time range."""
    plans = SessionPlan.objects.select_related(
        "event__venue", "event__parent", "event__period"
    ).prefetch_related("groups", "tutors")
    if start is not None:
        plans = plans.filter(event__end__gte=start)
    if end is not None:
        plans = plans.filter(event__start__lte=end)
    return plans.order_by("event__start", "pk")


def main_section(member: Member) -> str | None:
    """The section of the member's main instrument (prefetched member_instruments)."""
    for played in member.member_instruments.all():
        if played.is_main:
            return played.instrument.section
    return None


def attends(member: Member, plan: SessionPlan) -> bool:
    """Return True if the plan expects the member: active or on trial that day, in one of
    its groups that day, in a section it admits (a member without a main instrument goes
    to the tutti only).

    Needs the member's status history (members.status_history()), memberships and
    instruments, and the plan's groups, prefetched.
    """
    day = timezone.localtime(plan.event.start).date()
    if status_on(member, day) not in ATTENDING:
        return False
    groups = {group.pk for group in plan.groups.all()}
    in_group = any(
        membership.group_id in groups and membership.is_current_on(day)
        for membership in member.memberships.all()
    )
    if not in_group:
        return False
    section = main_section(member)
    return plan.admits_section(section) if section else not plan.sections


def sessions_of_members(
    members: Iterable[Member],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[int, list[Event]]:
    """Return, per member id, the planned sessions (events) the member attends, in order.

    Members must come from members_with_details() (memberships and instruments
    prefetched); the plans are read in a fixed number of queries.
    """
    members = list(members)
    plans = list(session_plans(start=start, end=end))
    return {
        member.pk: [plan.event for plan in plans if attends(member, plan)] for member in members
    }


def expected_members(plan: SessionPlan) -> list[Member]:
    """Return the members a session expects: members of its groups and sections who are
    active or on trial on its day."""
    day = timezone.localtime(plan.event.start).date()
    candidates = members_with_details(
        ever_attending().filter(
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=day),
            memberships__group__in=plan.groups.all(),
            memberships__joined_on__lte=day,
        )
    ).distinct()
    return [member for member in candidates if attends(member, plan)]
