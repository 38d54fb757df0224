"""Which writes change the event list and the events' calendar feeds (core.stamps).

Stamps:
- EVENT_LIST: the event list (events.views.event_list): the events, and the programmes
  and editions of its filter form.
- programme:<id>: a programme's feed; venue:<id>: a venue's feed.
- VENUES: the venues, shown in every list and feed of events (rare writes: one stamp for
  all); MUNICIPALITIES: the municipalities, shown in the event list and the artists'
  directory (not in feeds: a venue's address is its own).
"""

from core.stamps import forget, register, remembered
from events.models import Event, Municipality, Period, Programme, Venue

EVENT_LIST = "events:list"
VENUES = "events:venues"
MUNICIPALITIES = "events:municipalities"
# Read by the orchestra's feeds: every event of an orchestra season, and the seasons.
ORCHESTRA_EVENTS = "events:orchestra"


def programme_stamp(programme_id: int) -> str:
    return f"events:programme:{programme_id}"


def venue_stamp(venue_id: int) -> str:
    return f"events:venue:{venue_id}"


def event_list_stamps() -> list[str]:
    """Return the stamps the event list is read under."""
    return [EVENT_LIST, VENUES, MUNICIPALITIES]


def programme_feed_stamps(programme: Programme) -> list[str]:
    return [programme_stamp(programme.pk), VENUES]


def venue_feed_stamps(venue: Venue) -> list[str]:
    return [venue_stamp(venue.pk), VENUES]


def _programme_keys(programme_id: int, kind: str) -> list[str]:
    keys = [EVENT_LIST, programme_stamp(programme_id)]
    if kind == Programme.Kind.ORCHESTRA:
        keys.append(ORCHESTRA_EVENTS)
    return keys


def _programme_of_period(period_id: int) -> tuple[int | None, str | None]:
    return remembered(
        ("events:period", period_id),
        lambda: (
            Period.objects.filter(pk=period_id)
            .values_list("programme_id", "programme__kind")
            .first()
            or (None, None)
        ),
    )


def event_keys(event: Event) -> list[str]:
    """An event's programme is looked up once a transaction per period (an import)."""
    keys = [EVENT_LIST]
    if event.period_id is not None:
        programme_id, kind = _programme_of_period(event.period_id)
        if programme_id is not None:
            keys += _programme_keys(programme_id, kind)
    if event.venue_id is not None:
        keys.append(venue_stamp(event.venue_id))
    return keys


def period_keys(period: Period) -> list[str]:
    forget("events:period", period.pk)  # it may move to another programme
    kind = remembered(
        ("events:programme", period.programme_id),
        lambda: (
            Programme.objects.filter(pk=period.programme_id).values_list("kind", flat=True).first()
        ),
    )
    return _programme_keys(period.programme_id, kind or "")


def programme_keys(programme: Programme) -> list[str]:
    # Its kind may change: forget what the periods' and its own lookups said of it.
    forget("events:period")
    forget("events:programme", programme.pk)
    return _programme_keys(programme.pk, programme.kind)


register(Event, event_keys, follow_moves=True)
register(Period, period_keys, follow_moves=True)
register(Programme, programme_keys)
register(Venue, lambda venue: [VENUES])
register(Municipality, lambda municipality: [MUNICIPALITIES])
