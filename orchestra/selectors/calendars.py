"""Reads for the orchestra's calendars: the private feeds of guardians and members, and
the groups' public feeds.

What a private feed carries follows from the session plans (sessions_of_members): the
sessions, concerts and weekends each child attends, the rehearsal weekend around every
session, and the first names of the children on each entry in a guardian's feed. The
entries themselves are the feed's state: they are read in a fixed number of queries, and
their digest is the ETag, so that any change a subscriber would see (a plan, a group, a
membership, a status, a cancellation) changes it, and nothing else does.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from events.calendar import CalendarEntry, event_entry
from events.feeds import FeedEntries, cached_entries
from events.models import Event
from events.selectors import CANCELLED_KEEP, calendar_events
from orchestra.models import CalendarToken, Group, Guardian, Member, hash_calendar_token
from orchestra.selectors.masterclasses import signed_up_events_of
from orchestra.selectors.members import guardian_of, member_of, members_with_details
from orchestra.selectors.sessions import ATTENDING, sessions_of_members
from orchestra.selectors.tours import tour_events_for
from orchestra.stamps import group_feed_stamps, private_feed_stamps

# Longer than any token we hand out (secrets.token_urlsafe(32) has 43 characters): a longer
# one is not looked up at all.
MAX_TOKEN_LENGTH = 100

# Master classes and tours reach a private feed through sign-ups and tour participants,
# not through session plans (see signed_up_events).
SIGN_UP_KINDS = (Event.Kind.MASTER_CLASS, Event.Kind.TOUR)

CalendarOwner = Guardian | Member


def calendar_owner(user, *, today=None) -> CalendarOwner | None:
    """Return whose private calendar a login manages: its guardian record, or the member
    whose own login it is (from ORCHESTRA_OWN_LOGIN_AGE); None for everyone else."""
    guardian = guardian_of(user)
    if guardian is not None:
        return guardian
    member = member_of(user)
    if member is not None and member.may_have_own_login_on(today or timezone.localdate()):
        return member
    return None


def calendar_tokens_of(owner: CalendarOwner) -> QuerySet[CalendarToken]:
    """Return the owner's private calendar links (names, hashes and dates), oldest first."""
    field = "guardian" if isinstance(owner, Guardian) else "member"
    return CalendarToken.objects.filter(**{field: owner}).order_by("created_at", "pk")


def calendar_by_token(token: str) -> CalendarToken | None:
    """Return the private calendar a token opens, with its owner; None if none does."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        CalendarToken.objects.select_related("guardian", "member")
        .filter(token_hash=hash_calendar_token(token))
        .first()
    )


def in_feed(event: Event, *, now: datetime) -> bool:
    """Return True if a feed carries the event: the rule of events.selectors.calendar_events
    (cancelled events stay 30 days after their end), and nothing only staff may see."""
    if event.visibility == Event.Visibility.STAFF:
        return False
    return not event.is_cancelled or event.end >= now - CANCELLED_KEEP


def signed_up_events(members: list[Member]) -> dict[int, list[Event]]:
    """Return, per member id, the master classes and tours the member is signed up for.

    Master classes: the confirmed sign-ups (ticketing registrations, see
    orchestra.selectors.masterclasses), not the waitlist; one query. Tours: the tours
    the members take part in as players, with their itineraries
    (orchestra.selectors.tours.tour_events_for); two queries.
    """
    return tour_events_for(members, into=signed_up_events_of(member.pk for member in members))


def private_calendar_entries(owner: CalendarOwner, *, now=None) -> list[CalendarEntry]:
    """Return the entries of an owner's private feed, in the active language.

    A guardian's feed holds what each of their children attends, with the children's
    first names in the summary ("Sunniva: Tutti"; one entry for two children at the same
    session); a member's own feed holds what they attend, without a name.
    """
    if isinstance(owner, Guardian):
        members = Member.objects.filter(guardianships__guardian=owner)
    else:
        members = Member.objects.filter(pk=owner.pk)
    return calendar_entries_of_members(members, named=isinstance(owner, Guardian), now=now)


def private_feed_entries(owner: CalendarOwner, *, now=None) -> FeedEntries:
    """Return private_calendar_entries(owner) as a feed (events.feeds.FeedEntries), from
    the cache while none of the change stamps of what they show has been bumped
    (orchestra.stamps): a conditional request is then answered in two queries (the token,
    the stamps) instead of ten, without loading the entries."""
    return cached_entries(
        ("orchestra:private", type(owner).__name__, owner.pk),
        stamps=private_feed_stamps(owner),
        build=lambda moment: private_calendar_entries(owner, now=moment),
        now=now,
    )


def attending_members(queryset: QuerySet[Member]) -> list[Member]:
    """Return the members expected at sessions (active or on trial), with their details."""
    return list(
        members_with_details(queryset.filter(anonymised_at__isnull=True))
        .filter(current_status__in=ATTENDING)
        .order_by("first_name", "pk")
    )


def calendar_entries_of_members(
    queryset: QuerySet[Member], *, named: bool, now=None
) -> list[CalendarEntry]:
    """Return the calendar entries of what the members attend, ordered by start.

    Reads a fixed number of queries, however many members and sessions there are.
    """
    now = now or timezone.now()
    members = attending_members(queryset)
    attended = {
        member_id: [event for event in planned if _decided_by_plans(event)]
        for member_id, planned in sessions_of_members(members).items()
    }
    for member_id, signed_up in signed_up_events(members).items():
        attended[member_id] = [*attended.get(member_id, []), *signed_up]

    events: dict[int, Event] = {}
    names: dict[int, list[str]] = defaultdict(list)
    weekend_names: dict[int, list[str]] = defaultdict(list)

    def add_name(found: dict[int, list[str]], event_id: int, name: str) -> None:
        if name not in found[event_id]:
            found[event_id].append(name)

    for member in members:
        for event in attended.get(member.pk, []):
            if not in_feed(event, now=now):
                continue
            events[event.pk] = event
            add_name(names, event.pk, member.first_name)
            if event.parent_id is not None:
                add_name(weekend_names, event.parent_id, member.first_name)

    for parent in _parents(set(weekend_names) - set(events), now=now):
        events[parent.pk] = parent
    for parent_id, parent_names in weekend_names.items():
        for name in parent_names:
            add_name(names, parent_id, name)

    entries = []
    for event in events.values():
        entry = event_entry(event)
        if named:
            entry = replace(entry, summary=named_summary(names[event.pk], entry.summary))
        entries.append(entry)
    # A weekend before the sessions that start with it.
    return sorted(entries, key=lambda entry: (entry.start, entry.parent_uid is not None, entry.uid))


def named_summary(first_names: Iterable[str], title: str) -> str:
    """Return a private summary: the children's first names, then the event's title."""
    return _("%(names)s: %(title)s") % {
        "names": get_text_list(list(first_names), _("and")),
        "title": title,
    }


def _decided_by_plans(event: Event) -> bool:
    """Return False for master classes and tours (and their itineraries): who goes to those
    is decided by sign-ups, see signed_up_events(), not by a plan's groups."""
    if event.kind in SIGN_UP_KINDS:
        return False
    return not (event.parent_id is not None and event.parent.kind in SIGN_UP_KINDS)


def _parents(ids: set[int], *, now: datetime) -> list[Event]:
    """Return the weekends (or other events) around sessions, in one query."""
    if not ids:
        return []
    parents = Event.objects.filter(pk__in=ids).select_related("venue", "parent")
    return [parent for parent in parents if in_feed(parent, now=now)]


# Public feeds of the groups -------------------------------------------------------------


def public_groups(*, today=None) -> QuerySet[Group]:
    """Return the groups of seasons running now or later, for the public list of feeds."""
    today = today or timezone.localdate()
    return (
        Group.objects.filter(season__end__gte=today)
        .select_related("season", "season__programme")
        .order_by("season__start", "-max_age", "name")
    )


def group_calendar_entries(group: Group, *, now=None) -> list[CalendarEntry]:
    """Return the entries of a group's public feed: its planned sessions, concerts and
    master classes, and the weekends around them. No member appears in it."""
    now = now or timezone.now()
    planned = Q(orchestra_plan__groups=group) | Q(children__orchestra_plan__groups=group)
    events = calendar_events(
        Event.objects.filter(planned)
        .exclude(visibility=Event.Visibility.STAFF)
        .select_related("venue", "parent")
        .distinct(),
        now=now,
    )
    return [event_entry(event) for event in events]


def group_feed_entries(group: Group, *, now=None) -> FeedEntries:
    """Return group_calendar_entries(group) as a feed (events.feeds.FeedEntries), from the
    cache while none of the change stamps of what they show has been bumped."""
    return cached_entries(
        ("orchestra:group", group.pk),
        stamps=group_feed_stamps(),
        build=lambda moment: group_calendar_entries(group, now=moment),
        now=now,
    )
