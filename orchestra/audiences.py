"""The orchestra's audiences of messages to groups (core.audiences): the guardians of a
group's, a section's or a season's current members (and the members with their own
login), and a tour's participants with the guardians of its players.

A current member has an open membership of the group today and a current status of
active, trial or on leave. Guardians are labelled by their own name; a member with their
own login by number ("Member no. 12"), never by name. Each audience costs two or three
queries whatever its size.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audiences
from core.audiences import Param, Recipient, int_param
from events.models import Period, Programme
from orchestra.models import Group, Guardian, Member, Section, StatusChange, TourParticipant
from orchestra.models.tours import Tour
from orchestra.selectors.members import with_current_status

CURRENT = (StatusChange.Status.ACTIVE, StatusChange.Status.TRIAL, StatusChange.Status.ON_LEAVE)


def current_members(groups: QuerySet[Group]) -> QuerySet[Member]:
    """The members with an open membership of one of the groups today and a current
    status of active, trial or on leave."""
    today = timezone.localdate()
    return (
        with_current_status(Member.objects.filter(anonymised_at__isnull=True))
        .filter(
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today),
            memberships__group__in=groups,
            memberships__joined_on__lte=today,
            current_status__in=CURRENT,
        )
        .distinct()
    )


def reach_members(members: QuerySet[Member]) -> list[Recipient]:
    """The guardians of these members, then the members who have their own login."""
    ids = list(members.values_list("pk", flat=True))
    guardians = (
        Guardian.objects.filter(guardianships__member__in=ids)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    found = [
        Recipient(
            label=f"{g.first_name} {g.last_name}",
            role="guardian",
            email=g.email,
            user_id=g.user_id,
        )
        for g in guardians
    ]
    own_logins = (
        Member.objects.filter(pk__in=ids, user__isnull=False).select_related("user").order_by("pk")
    )
    found += [
        Recipient(
            label=_("Member no. %(number)s (own login)") % {"number": m.pk},
            role="member",
            email=m.user.email,
            user_id=m.user_id,
        )
        for m in own_logins
    ]
    return found


def _seasons() -> list[tuple[str, str]]:
    seasons = Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA).order_by("-start")
    return [(str(s.pk), s.name) for s in seasons]


def _groups() -> list[tuple[str, str]]:
    groups = Group.objects.select_related("season").order_by("-season__start", "-max_age", "name")
    return [(str(g.pk), f"{g.name} ({g.season.name})") for g in groups]


def _tours() -> list[tuple[str, str]]:
    tours = Tour.objects.select_related("event").order_by("-event__start")
    return [(str(t.pk), f"{t.event.title_nb} ({t.destination})") for t in tours]


SEASON = Param("season", gettext_lazy("Season"), _seasons)
GROUP = Param("group", gettext_lazy("Group"), _groups)
SECTION = Param("section", gettext_lazy("Section"), lambda: list(Section.choices))
TOUR = Param("tour", gettext_lazy("Tour"), _tours)


def _group_guardians(params: dict) -> list[Recipient]:
    return reach_members(current_members(Group.objects.filter(pk=int_param(params, "group"))))


def _section_guardians(params: dict) -> list[Recipient]:
    groups = Group.objects.filter(season=int_param(params, "season"))
    members = current_members(groups).filter(
        member_instruments__is_main=True, member_instruments__instrument__section=params["section"]
    )
    return reach_members(members)


def _season_guardians(params: dict) -> list[Recipient]:
    return reach_members(current_members(Group.objects.filter(season=int_param(params, "season"))))


def _tour_people(params: dict) -> list[Recipient]:
    participants = TourParticipant.objects.filter(tour=int_param(params, "tour")).select_related(
        "user"
    )
    adults, players = [], []
    for p in participants.order_by("role", "pk"):
        if p.member_id:
            players.append(p.member_id)
        elif p.role != TourParticipant.Role.GUEST or p.birth_date is None:
            # A guest ensemble member who may be a minor (a birth date given) is
            # reached through their own ensemble, not by name here.
            adults.append(
                Recipient(
                    label=p.name or _("Participant no. %(number)s") % {"number": p.pk},
                    role="participant",
                    email=p.email or (p.user.email if p.user_id else ""),
                    user_id=p.user_id,
                )
            )
    return adults + reach_members(Member.objects.filter(pk__in=players))


def _name(model, params, key) -> str:
    found = model.objects.filter(pk=int_param(params, key)).first()
    return str(found) if found else "–"


def _section_label(params: dict) -> str:
    return _("Guardians: %(section)s, %(season)s") % {
        "section": dict(Section.choices).get(params["section"], ""),
        "season": _name(Period, params, "season"),
    }


def register() -> None:
    audiences.register(
        "orchestra.group_guardians",
        gettext_lazy("Guardians of a group's members"),
        params=(GROUP,),
        recipients=_group_guardians,
        describe=lambda p: _("Guardians: %(group)s") % {"group": _name(Group, p, "group")},
        order=10,
    )
    audiences.register(
        "orchestra.section_guardians",
        gettext_lazy("Guardians of a section's members"),
        params=(SEASON, SECTION),
        recipients=_section_guardians,
        describe=_section_label,
        order=11,
    )
    audiences.register(
        "orchestra.season_guardians",
        gettext_lazy("Guardians of the whole season"),
        params=(SEASON,),
        recipients=_season_guardians,
        describe=lambda p: _("Guardians: %(season)s") % {"season": _name(Period, p, "season")},
        order=12,
    )
    audiences.register(
        "orchestra.tour",
        gettext_lazy("A tour's participants and the guardians of its players"),
        params=(TOUR,),
        recipients=_tour_people,
        describe=lambda p: (
            _("Tour: %(tour)s")
            % {
                "tour": (
                    Tour.objects.filter(pk=int_param(p, "tour"))
                    .values_list("event__title_nb", flat=True)
                    .first()
                    or "–"
                )
            }
        ),
        order=13,
    )
