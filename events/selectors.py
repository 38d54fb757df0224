from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.roles import Role, has_role, user_roles
from events.models import Event, Municipality, Period, Programme

# Cancelled events stay visible (and in feeds, marked cancelled) this long after
# their end, so that subscribers' calendars learn about the cancellation.
CANCELLED_KEEP = timedelta(days=30)


def visibilities_for(user) -> list[str]:
    """Return the event visibilities a user may see."""
    if user is not None and (user.is_staff or has_role(user, Role.PROJECT_LEADER)):
        return [Event.Visibility.PUBLIC, Event.Visibility.MEMBERS, Event.Visibility.STAFF]
    if user_roles(user):
        return [Event.Visibility.PUBLIC, Event.Visibility.MEMBERS]
    return [Event.Visibility.PUBLIC]


def visible_events(user, queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Return the events of the queryset whose visibility the user may see."""
    return queryset.filter(visibility__in=visibilities_for(user))


def events_visible_to(user) -> QuerySet[Event]:
    """Return the events a user may see, with what lists and feeds need joined in.

    The same rule as events.policies.SEE_EVENT, whose scope is visible_events(): the
    policies build on the selectors, never the other way round.
    """
    return visible_events(user, Event.objects.all()).select_related(
        "venue", "venue__municipality", "period", "period__programme", "parent"
    )


def public_events() -> QuerySet[Event]:
    return events_visible_to(None)


def programme_feed_events(programme) -> QuerySet[Event]:
    """Return the events of a programme's public page and feed: its public events, and its
    rehearsal weekends whatever their visibility (short of staff only), so that a parent who
    subscribes from the public page does not miss them. A weekend shows its dates, title and
    place, never who attends."""
    weekend = Q(kind=Event.Kind.REHEARSAL_WEEKEND) & ~Q(visibility=Event.Visibility.STAFF)
    return (
        Event.objects.filter(period__programme=programme)
        .filter(Q(visibility__in=visibilities_for(None)) | weekend)
        .select_related("venue", "venue__municipality", "period", "period__programme", "parent")
    )


def upcoming_rehearsal_weekends(programme, *, now=None) -> QuerySet[Event]:
    """Return a programme's coming rehearsal weekends, for its public page."""
    return upcoming_events(
        programme_feed_events(programme).filter(kind=Event.Kind.REHEARSAL_WEEKEND), now=now
    )


def listed_events(user) -> QuerySet[Event]:
    """Return the events a user may see, in the event list's order, with what its rows show."""
    # A row shows the venue and its municipality only; the other joins of
    # events_visible_to() cost nearly a third of the time of its query.
    return (
        events_visible_to(user)
        .select_related(None)
        .select_related("venue__municipality")
        # The id breaks ties, so that events starting at once keep their place across
        # pages (without it one could show on two pages, or on none).
        .order_by("start", "pk")
    )


def calendar_events(queryset: QuerySet[Event], *, now=None) -> QuerySet[Event]:
    """Limit events to those a calendar feed carries.

    Every scheduled event, and cancelled events until 30 days after their end.
    """
    now = now or timezone.now()
    return queryset.filter(
        Q(status=Event.Status.SCHEDULED) | Q(end__gte=now - CANCELLED_KEEP)
    ).order_by("start", "pk")


def upcoming_events(queryset: QuerySet[Event], *, now=None) -> QuerySet[Event]:
    now = now or timezone.now()
    return queryset.filter(end__gte=now).order_by("start", "pk")


def current_periods(*, today=None) -> QuerySet[Period]:
    """Return the editions and seasons running now or starting later."""
    today = today or timezone.localdate()
    return Period.objects.filter(end__gte=today).select_related("programme").order_by("start")


def programmes_with_periods() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("periods").order_by("name")


def municipalities_valid_on(day: date | None = None) -> QuerySet[Municipality]:
    """Return the municipalities on the map on a day (today by default)."""
    day = day or timezone.localdate()
    return Municipality.objects.filter(Municipality.in_force_on(day)).order_by("name", "pk")
