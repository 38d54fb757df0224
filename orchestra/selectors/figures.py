"""The orchestra's figures for a season or a year: members, joined and left, where members
come from, weekends, sessions, master classes, concerts and tour participants by role.
Counts only: no names.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from events.models import Event, Period, Programme
from orchestra.models import Group, Member, Membership, StatusChange, TourParticipant

EVENT_KINDS = (
    Event.Kind.REHEARSAL_WEEKEND,
    Event.Kind.SESSION,
    Event.Kind.MASTER_CLASS,
    Event.Kind.CONCERT,
    Event.Kind.TOUR,
)


@dataclass
class GroupFigures:
    group: Group
    members: int


@dataclass
class OrchestraFigures:
    """What happened in a date range, and the groups' sizes on its last day."""

    programme: Programme
    first_day: date
    last_day: date
    groups: list[GroupFigures] = field(default_factory=list)
    members: int = 0
    joined: int = 0
    left: dict[str, int] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    # Participants of the tours that start in the range, by role (TourParticipant.Role).
    tour_participants: dict[str, int] = field(default_factory=dict)

    @property
    def left_total(self) -> int:
        return sum(self.left.values())


def orchestra_figures(programme: Programme, first_day: date, last_day: date) -> OrchestraFigures:
    """Return the programme's figures between two days (both included), in nine queries."""
    figures = OrchestraFigures(programme=programme, first_day=first_day, last_day=last_day)
    in_groups_then = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=last_day),
        group__season__programme=programme,
        joined_on__lte=last_day,
    )
    # The groups of the seasons running on the last day (or the last season before it).
    seasons = Period.objects.filter(programme=programme, start__lte=last_day).order_by("-start")
    season = seasons.filter(end__gte=last_day).first() or seasons.first()
    if season is not None:
        sizes = dict(
            in_groups_then.filter(group__season=season)
            .values_list("group")
            .annotate(members=Count("member", distinct=True))
        )
        figures.groups = [
            GroupFigures(group, sizes.get(group.pk, 0))
            for group in Group.objects.filter(season=season).order_by("-max_age", "name")
        ]
    members = Member.objects.filter(pk__in=in_groups_then.values("member"))
    figures.members = members.count()
    figures.origins = dict(members.values_list("origin").annotate(n=Count("pk")).order_by("origin"))
    figures.joined = (
        Membership.objects.filter(
            group__season__programme=programme, joined_on__range=(first_day, last_day)
        )
        .values("member")
        .distinct()
        .count()
    )
    figures.left = dict(
        StatusChange.objects.filter(
            status=StatusChange.Status.LEFT,
            since__range=(first_day, last_day),
            member__memberships__group__season__programme=programme,
        )
        .values_list("reason")
        .annotate(n=Count("member", distinct=True))
        .order_by("reason")
    )
    figures.events = dict(
        Event.objects.filter(
            period__programme=programme,
            kind__in=EVENT_KINDS,
            start__date__range=(first_day, last_day),
        )
        .exclude(status=Event.Status.CANCELLED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    figures.tour_participants = dict(
        TourParticipant.objects.filter(
            tour__event__period__programme=programme,
            tour__event__start__date__range=(first_day, last_day),
        )
        .exclude(tour__event__status=Event.Status.CANCELLED)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by("role")
    )
    return figures
