"""iCalendar (RFC 5545) documents, built as pure functions: entries in, bytes out.

An entry is a plain CalendarEntry, so that other apps can publish things that are not
events (the opening hours of open studios) through the same code; events become entries
with event_entry(). The HTTP side (ETag, 304, caching) is in events.feeds.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, timedelta
from functools import lru_cache
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
    method: str = "PUBLISH",
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
        method=method,
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
    method: str = "PUBLISH",
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
    # PUBLISH for feeds and downloads; an email that updates an event a person has in their
    # calendar sends REQUEST (or CANCEL), with the event's UID and a higher SEQUENCE.
    calendar.add("method", method)
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
    """Return a VTIMEZONE that gives tz's offsets from first_year to last_year.

    Written the way Google and Apple publish zones, so that every common reader agrees:
    the offset on 1 January of first_year (ical.js reads a time before the first onset as
    UTC), then one STANDARD or DAYLIGHT component for each run of yearly changes that follow
    one rule ("the last Sunday of March at 02:00"), with its first onset in DTSTART and the
    rule in an RRULE, bounded by COUNT when the rule ends within the years and open when it
    is still in force after them. No RDATE: ical.js (Thunderbird, Nextcloud) ignores a
    component's DTSTART when it has RDATEs, and so put the first summer of every feed of
    several years an hour off. icalendar 7's Timezone.from_tzinfo writes such RDATEs (and
    the spring onset an hour late), and has no RRULE form.
    """
    vtimezone = icalendar.Timezone()
    vtimezone.add("tzid", tz.key)
    # Normalised: a zone may change at midnight on 1 January (America/Lima in 1990).
    new_year = datetime(first_year, 1, 1, tzinfo=tz).astimezone(UTC).astimezone(tz)
    initial = _Onset(
        local=new_year.replace(tzinfo=None),
        offset_from=new_year.utcoffset(),
        offset_to=new_year.utcoffset(),
        name=new_year.tzname() or "",
        daylight=bool(new_year.dst()),
    )
    vtimezone.add_component(_observance([initial]))
    # One year more than asked, so that even the rules of a one-year calendar are seen
    # twice; those still followed in that year are the zone's rules as they stand.
    until = min(last_year + 1, MAXYEAR - 1)
    for onsets, rule in _yearly_runs(_onsets(tz, first_year, until)):
        still_in_force = onsets[-1].local.year == until
        vtimezone.add_component(_observance(onsets, rule=rule, open_ended=still_in_force))
    return vtimezone


@dataclass(frozen=True)
class _Onset:
    """A change of a zone's offset, daylight-saving flag or name."""

    local: datetime  # naive: the wall-clock time at which it happens, before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


@lru_cache(maxsize=64)
def _onsets(tz: ZoneInfo, first_year: int, last_year: int) -> tuple[_Onset, ...]:
    """Return every change of tz from 1 January of first_year to the end of last_year."""

    def state(second: int) -> tuple:
        local = datetime.fromtimestamp(second, tz)
        return local.utcoffset(), local.dst(), local.tzname()

    start = int(datetime(first_year, 1, 1, tzinfo=tz).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=tz).timestamp())
    # Zones change at most a few times a year, never twice within a day: look a day apart,
    # then find the second of each change by bisection.
    onsets = []
    before, current = start, state(start)
    while before < end:
        after = min(before + 86400, end)
        if state(after) != current:
            low, high = before, after
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if state(middle) == current else (low, middle)
            offset_to, dst, name = state(high)
            onsets.append(
                _Onset(
                    local=datetime.fromtimestamp(high, UTC).replace(tzinfo=None) + current[0],
                    offset_from=current[0],
                    offset_to=offset_to,
                    name=name or "",
                    daylight=bool(dst),
                )
            )
            current = state(high)
        before = after
    return tuple(onsets)


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _yearly_rules(day: date) -> set[tuple[str, str]]:
    """Return the yearly rules (RRULE parts beside BYMONTH) that fall on this day."""
    weekday = _WEEKDAYS[day.weekday()]
    rules = {("BYMONTHDAY", str(day.day))}
    if day.day <= 28:
        rules.add(("BYDAY", f"{(day.day - 1) // 7 + 1}{weekday}"))
    if (day + timedelta(days=7)).month != day.month:
        rules.add(("BYDAY", f"-1{weekday}"))
    return rules


def _yearly_runs(
    onsets: Iterable[_Onset],
) -> list[tuple[list[_Onset], tuple[str, str] | None]]:
    """Group onsets into runs of one a year that follow one rule, in order of their start.

    A run of a single onset has no rule.
    """
    runs: list[tuple[list[_Onset], set[tuple[str, str]]]] = []
    open_runs: dict[tuple, int] = {}
    for onset in onsets:
        kind = (
            onset.daylight,
            onset.offset_from,
            onset.offset_to,
            onset.name,
            onset.local.month,
            onset.local.time(),
        )
        rules = _yearly_rules(onset.local.date())
        index = open_runs.get(kind)
        if index is not None:
            run, run_rules = runs[index]
            if run[-1].local.year == onset.local.year - 1 and run_rules & rules:
                run.append(onset)
                run_rules &= rules
                continue
        open_runs[kind] = len(runs)
        runs.append(([onset], rules))

    def preferred(rule: tuple[str, str]) -> tuple:
        # When several rules fit every onset of a run, the one calendar publishers use: a
        # weekday, counted from the end of the month ("-1SU") before from its start ("4SU").
        part, value = rule
        return part != "BYDAY", not value.startswith("-"), value

    return [(run, min(rules, key=preferred) if len(run) > 1 else None) for run, rules in runs]


def _observance(
    onsets: list[_Onset], *, rule: tuple[str, str] | None = None, open_ended: bool = False
) -> icalendar.cal.Component:
    """Return the STANDARD or DAYLIGHT component of onsets that follow `rule` a year apart."""
    first = onsets[0]
    observance = icalendar.TimezoneDaylight() if first.daylight else icalendar.TimezoneStandard()
    observance.add("dtstart", first.local)
    if rule is not None:
        recurrence = {"FREQ": "YEARLY", "BYMONTH": first.local.month, rule[0]: rule[1]}
        if not open_ended:
            # COUNT rather than UNTIL: UNTIL must be in UTC here, and dateutil (vobject)
            # compares it with the local onsets, so that it lost the last one east of UTC.
            recurrence["COUNT"] = len(onsets)
        observance.add("rrule", icalendar.vRecur(recurrence))
    observance.add("tzoffsetfrom", first.offset_from)
    observance.add("tzoffsetto", first.offset_to)
    if first.name:
        observance.add("tzname", first.name)
    return observance


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

    A local time that occurs twice (the hour repeated when the clocks go back) is written in
    UTC, both times: RFC 5545 reads it as its first occurrence, ical.js (Thunderbird,
    Nextcloud) as its second.
    """
    local = moment.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local
