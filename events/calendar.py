"""iCalendar (RFC 5545) documents, built as pure functions: entries in, bytes out.

An entry is a plain CalendarEntry, so that other apps can publish things that are not
events (the opening hours of open studios) through the same code; events become entries
with event_entry(). The HTTP side (ETag, 304, caching) is in events.feeds.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone, translation

from events.models import Event

PRODID = "-//Kulturvest//Kulturvest//NB"
# How often subscribers should fetch the feed again (RFC 7986 and its older Microsoft form).
REFRESH_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT: what a calendar subscriber sees of an event or of any other happening.

    `url` is a path on the site; the document makes it absolute. `stamp` is when this
    version came to be (DTSTAMP): the same entry must always give the same bytes.
    """

    uid: str
    start: datetime
    end: datetime
    summary: str
    url: str
    stamp: datetime
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    created: datetime | None = None
    last_modified: datetime | None = None
    sequence: int = 0
    cancelled: bool = False
    parent_uid: str | None = None


def event_entry(event: Event) -> CalendarEntry:
    """Return the calendar entry of an event (its venue and parent loaded), in the active
    language."""
    venue = event.venue
    return CalendarEntry(
        uid=event.uid,
        start=event.start,
        end=event.end,
        summary=event.title,
        url=event.get_absolute_url(),
        stamp=event.updated_at,
        description=event.description,
        location=venue.full_address if venue is not None else "",
        geo=(
            (float(venue.latitude), float(venue.longitude))
            if venue is not None and venue.has_coordinates
            else None
        ),
        created=event.created_at,
        last_modified=event.updated_at,
        sequence=event.revision,
        cancelled=event.is_cancelled,
        parent_uid=event.parent.uid if event.parent_id is not None else None,
    )


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
    """Return the events as an iCalendar document: see build_calendar_of_entries().

    Events need their venue and parent loaded (select_related) to keep queries constant.
    """
    return build_calendar_of_entries(
        (event_entry(event) for event in events),
        name=name,
        base_url=base_url,
        description=description,
        subscription=subscription,
        language=language,
        tz=tz,
        today=today,
    )


def build_calendar_of_entries(
    entries: Iterable[CalendarEntry],
    *,
    name: str,
    base_url: str,
    description: str = "",
    subscription: bool = True,
    language: str | None = None,
    tz: ZoneInfo | None = None,
    today: date | None = None,
) -> bytes:
    """Return the entries as an iCalendar document.

    Texts are in `language` (default: the active one), falling back to Norwegian: a lazy
    `entries` is read in it. `base_url` ("https://example.org") makes the links absolute.
    Times are local to `tz` (default: the site's time zone) with a VTIMEZONE covering every
    year the entries touch.

    A subscription carries the calendar's name, description and refresh interval; a one-off
    download (subscription=False) leaves them out, so that calendar apps add the event to a
    calendar of the user's rather than create a new calendar for it.
    """
    tz = tz or timezone.get_default_timezone()
    with translation.override(language) if language else nullcontext():
        vevents = []
        years = set()
        for entry in entries:
            vevents.append(_vevent(entry, tz=tz, base_url=base_url))
            years.update((entry.start.astimezone(tz).year, entry.end.astimezone(tz).year))

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if subscription:
        # TEXT, escaped (vText): icalendar does not know NAME (RFC 7986) nor the X-WR-
        # properties, and would write them raw: a line break failed or broke the document,
        # and vobject read a comma as the end of the name.
        calendar.add("name", icalendar.vText(name))
        calendar.add("x-wr-calname", icalendar.vText(name))
        if description:
            calendar.add("description", description)
            calendar.add("x-wr-caldesc", icalendar.vText(description))
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


def _vevent(entry: CalendarEntry, *, tz: ZoneInfo, base_url: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", entry.uid)
    # DTSTAMP is the time this version of the entry came to be, not the time of the request,
    # so that the same state always gives the same bytes (and the ETag is a strong one).
    vevent.add("dtstamp", entry.stamp.astimezone(UTC))
    if entry.created is not None:
        vevent.add("created", entry.created.astimezone(UTC))
    if entry.last_modified is not None:
        vevent.add("last-modified", entry.last_modified.astimezone(UTC))
    vevent.add("sequence", entry.sequence)
    vevent.add("dtstart", _calendar_time(entry.start, tz))
    vevent.add("dtend", _calendar_time(entry.end, tz))
    vevent.add("summary", entry.summary)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.geo is not None:
        vevent.add("geo", entry.geo)
    vevent.add("url", base_url + entry.url)
    vevent.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.parent_uid is not None:
        vevent.add("related-to", entry.parent_uid, parameters={"RELTYPE": "PARENT"})
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
