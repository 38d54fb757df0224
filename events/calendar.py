"""iCalendar (RFC 5545) documents of events, built as pure functions: events in, bytes out.

The HTTP side (ETag, 304, caching) is in events.feeds.calendar_response.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone, translation

from events.models import Event

PRODID = "-//Kulturvest//Kulturvest//NB"
# How often subscribers should fetch the feed again (RFC 7986 and its older Microsoft form).
REFRESH_INTERVAL = timedelta(hours=1)


def build_calendar(
    events: Iterable[Event],
    *,
    name: str,
    base_url: str,
    description: str = "",
    subscription: bool = True,
    language: str | None = None,
    tz: ZoneInfo | None = None,
    today: date | None = None,
) -> bytes:
    """Return the events as an iCalendar document.

    Texts are in `language` (default: the active one), falling back to Norwegian. `base_url`
    ("https://example.org") makes the event links absolute. Times are local to `tz` (default:
    the site's time zone) with a VTIMEZONE covering every year the events touch.

    A subscription carries the calendar's name, description and refresh interval; a one-off
    download (subscription=False) leaves them out, so that calendar apps add the event to a
    calendar of the user's rather than create a new calendar for it.

    Events need their venue and parent loaded (select_related) to keep queries constant.
    """
    tz = tz or timezone.get_default_timezone()
    with translation.override(language) if language else nullcontext():
        vevents = []
        years = set()
        for event in events:
            vevents.append(_vevent(event, tz=tz, base_url=base_url))
            years.update((event.start.astimezone(tz).year, event.end.astimezone(tz).year))

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if subscription:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        if description:
            calendar.add("description", description)
            calendar.add("x-wr-caldesc", description)
        calendar.add(
            "refresh-interval",
            icalendar.vDuration(REFRESH_INTERVAL),
            parameters={"VALUE": "DURATION"},
        )
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    calendar.add("x-wr-timezone", tz.key)

    # Also for an empty feed: a VCALENDAR must hold at least one component.
    if not years:
        years = {(today or timezone.localdate()).year}
    calendar.add_component(_vtimezone(tz, first_year=min(years), last_year=max(years)))
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar.to_ical()


def _vtimezone(tz: ZoneInfo, *, first_year: int, last_year: int) -> icalendar.Timezone:
    """Return a VTIMEZONE with every offset change of tz from first_year to last_year."""
    vtimezone = icalendar.Timezone.from_tzinfo(
        tz, tzid=tz.key, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    # One RDATE a line: a list is valid too, but some readers (vobject among them) keep only
    # its first date, and so get every year after the second one wrong.
    for observance in vtimezone.subcomponents:
        rdates = observance.pop("RDATE", None)
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            for onset in rdate.dts:
                observance.add("RDATE", onset.dt)
    return vtimezone


def _vevent(event: Event, *, tz: ZoneInfo, base_url: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    # DTSTAMP is the time this version of the event came to be, not the time of the request,
    # so that the same event state always gives the same bytes (and the ETag is a strong one).
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("created", event.created_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("sequence", event.revision)
    vevent.add("dtstart", _calendar_time(event.start, tz))
    vevent.add("dtend", _calendar_time(event.end, tz))
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    if event.venue is not None:
        vevent.add("location", event.venue.full_address)
        if event.venue.has_coordinates:
            vevent.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    vevent.add("url", base_url + event.get_absolute_url())
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if event.parent_id is not None:
        vevent.add("related-to", event.parent.uid, parameters={"RELTYPE": "PARENT"})
    return vevent


def _calendar_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """Return the moment as local time in tz, or in UTC where local time cannot say it.

    RFC 5545 reads a local time that occurs twice (the hour repeated when the clocks go back)
    as its first occurrence, so a moment in the second occurrence is written in UTC.
    """
    local = moment.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local
