"""Read calendar documents with three independent parsers and check that they agree.

icalendar (ours), vobject (dateutil's reading of the document's VTIMEZONE) and ical.js (the
parser of Thunderbird and Nextcloud, run by Node; pinned in tests/vendor/) must give the same
events, UID for UID, at the same instants. icalendar knows a TZID such as Europe/Oslo by name;
vobject and ical.js read the times through the VTIMEZONE the document carries, so they also
check that it says what the time zone database says.

ical.js runs in one Node process for the whole test session, which reads a batch of documents
at a time: read_calendars(*documents) reads them all in one round trip.
"""

import atexit
import json
import shutil
import subprocess
import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from tests.factories import OSLO

READER = Path(__file__).with_name("ical_js_reader.mjs")


class IcalJs:
    """A Node process reading iCalendar documents with ical.js (tests/ical_js_reader.mjs)."""

    def __init__(self):
        node = shutil.which("node")
        if node is None:
            pytest.fail(
                "Node.js (`node`) is needed to read the feeds with ical.js, as Thunderbird "
                "and Nextcloud do: install Debian's nodejs (apt-get install nodejs)",
                pytrace=False,
            )
        self.process = subprocess.Popen(  # noqa: S603 -- our own script, no shell
            [node, str(READER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lock = threading.Lock()
        atexit.register(self.close)

    def read(self, documents: list[str]) -> list[dict]:
        """Return, for each document, {"events": [{"uid", "start", "end"}]} or {"error"}."""
        with self.lock:
            self.process.stdin.write(json.dumps({"documents": documents}) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"ical.js stopped: {self.process.stderr.read()}")
        return json.loads(answer)["documents"]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


_ical_js: IcalJs | None = None


def ical_js() -> IcalJs:
    """Return the session's ical.js reader, started on first use."""
    global _ical_js
    if _ical_js is None or _ical_js.process.poll() is not None:
        _ical_js = IcalJs()
    return _ical_js


def instants_by_icalendar(calendar: icalendar.Calendar) -> list[tuple]:
    return [
        (
            str(vevent["UID"]),
            vevent.decoded("DTSTART").astimezone(UTC),
            vevent.decoded("DTEND").astimezone(UTC),
        )
        for vevent in calendar.walk("VEVENT")
    ]


def instants_by_vobject(calendar) -> list[tuple]:
    return [
        (
            vevent.uid.value,
            vevent.dtstart.value.astimezone(UTC),
            vevent.dtend.value.astimezone(UTC),
        )
        for vevent in getattr(calendar, "vevent_list", [])
    ]


def instants_by_ical_js(answer: dict) -> list[tuple]:
    if "error" in answer:
        raise AssertionError(f"ical.js could not read the calendar: {answer['error']}")
    return [
        (
            event["uid"],
            datetime.fromtimestamp(event["start"], UTC),
            datetime.fromtimestamp(event["end"], UTC),
        )
        for event in answer["events"]
    ]


def read_with_vobject(content: bytes):
    # vobject keeps the first VTIMEZONE it ever read for a TZID, for the life of the process;
    # forget them all, so that each document is read with its own.
    vars(vobject.icalendar)["__tzidMap"].clear()
    return vobject.readOne(content.decode("utf-8"))


def read_calendars(*contents: bytes) -> list[tuple[icalendar.Calendar, object]]:
    """Return each document parsed by icalendar and by vobject, after checking that they and
    ical.js read the same events (UIDs, in order) at the same instants."""
    answers = ical_js().read([content.decode("utf-8") for content in contents])
    parsed = []
    for content, answer in zip(contents, answers, strict=True):
        by_ical_js = instants_by_ical_js(answer)
        by_icalendar = icalendar.Calendar.from_ical(content)
        by_vobject = read_with_vobject(content)
        readings = {
            "icalendar": instants_by_icalendar(by_icalendar),
            "vobject": instants_by_vobject(by_vobject),
            "ical.js": by_ical_js,
        }
        if not readings["icalendar"] == readings["vobject"] == readings["ical.js"]:
            raise AssertionError(disagreement(readings))
        parsed.append((by_icalendar, by_vobject))
    return parsed


def disagreement(readings: dict[str, list[tuple]]) -> str:
    """Say which events the parsers read differently, and how."""
    lines = ["the parsers read different events or instants (UID: start - end, in UTC):"]
    by_parser = {parser: {uid: rest for uid, *rest in read} for parser, read in readings.items()}
    uids = dict.fromkeys(uid for read in readings.values() for uid, *_ in read)
    for uid in uids:
        found = {parser: events.get(uid) for parser, events in by_parser.items()}
        if len({repr(value) for value in found.values()}) > 1:
            lines.append(f"  {uid}:")
            for parser, value in found.items():
                shown = (
                    " - ".join(f"{moment:%Y-%m-%d %H:%M:%S}" for moment in value)
                    if value
                    else "missing"
                )
                lines.append(f"    {parser:9} {shown}")
    if len(lines) == 1:
        lines.append("  the same events, in another order: " + repr(readings))
    return "\n".join(lines)


def read_calendar(content: bytes) -> tuple[icalendar.Calendar, object]:
    """Return the document parsed by icalendar and by vobject: see read_calendars()."""
    [parsed] = read_calendars(content)
    return parsed


def instants(calendar: icalendar.Calendar) -> dict[str, tuple[datetime, datetime]]:
    """Return each event's start and end (UTC) by UID, as read by every parser."""
    return {uid: (start, end) for uid, start, end in instants_by_icalendar(calendar)}


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def moments_across_daylight_saving(
    first_year: int = 2016, last_year: int = 2027
) -> dict[str, datetime]:
    """Return, by label, moments of Europe/Oslo that a feed's time zone must get right.

    In every year: winter, the night summer time starts (last Sunday of March, 02:00 →
    03:00), the first summer (September, where the first year went wrong in ical.js),
    the night it ends (last Sunday of October, 03:00 → 02:00: the hour 02:00–03:00 comes
    twice) and December.
    """
    moments = {}
    for year in range(first_year, last_year + 1):
        spring, autumn = last_sunday(year, 3), last_sunday(year, 10)
        for label, day, clock, fold in (
            ("winter", date(year, 1, 15), time(12), 0),
            ("before summer time", spring, time(1, 30), 0),
            ("after summer time", spring, time(3, 30), 0),
            ("summer", date(year, 6, 21), time(22), 0),
            ("september", date(year, 9, 15), time(19), 0),
            ("before winter time", autumn, time(1, 30), 0),
            ("first 02:30", autumn, time(2, 30), 0),
            ("second 02:30", autumn, time(2, 30), 1),
            ("after winter time", autumn, time(3, 30), 0),
            ("december", date(year, 12, 10), time(18), 0),
        ):
            moments[f"{year} {label}"] = datetime.combine(day, clock, tzinfo=OSLO).replace(
                fold=fold
            )
    return moments
