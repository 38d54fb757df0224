"""Any entries make a calendar that icalendar, vobject and ical.js read back to the same events.

The generator (events.calendar.build_calendar_of_entries) is fed arbitrary texts (unicode,
newlines, commas, semicolons, backslashes, long lines), moments in several time zones
(daylight-saving changes included) and cancellations.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from events.calendar import CalendarEntry, build_calendar_of_entries
from tests.calendars import moments_across_daylight_saving, read_calendar

from .strategies import PROPERTY_SETTINGS

ZONES = [
    "Europe/Oslo",
    "UTC",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # a half-hour daylight-saving shift
    "Pacific/Chatham",  # an offset of +12:45
]
# Text a person could type: any character but surrogates and control characters other than
# line breaks and tabs (no form of the site accepts the others).
typed_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\r\t,;:\\\"'"
    ),
    max_size=300,
)
# Whole seconds: RFC 5545 has no finer time. (Hypothesis wants naive bounds with timezones.)
# Random moments seldom fall on the night of a change: Oslo's nights are added.
moments = st.one_of(
    st.datetimes(
        min_value=datetime(1990, 1, 1),  # noqa: DTZ001
        max_value=datetime(2060, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from([ZoneInfo(name) for name in ZONES]),
    ).map(lambda moment: moment.replace(microsecond=0)),
    st.sampled_from(list(moments_across_daylight_saving(1996, 2060).values())),
)


@st.composite
def entries(draw, uid: str) -> CalendarEntry:
    start = draw(moments)
    return CalendarEntry(
        uid=uid,
        start=start,
        end=start + timedelta(seconds=draw(st.integers(min_value=0, max_value=40 * 86400))),
        summary=draw(typed_text.filter(str.strip)),
        url=f"/events/{draw(st.integers(min_value=1, max_value=10**9))}/",
        stamp=draw(moments),
        description=draw(typed_text),
        location=draw(typed_text),
        geo=draw(
            st.none()
            | st.tuples(
                st.floats(min_value=-90, max_value=90), st.floats(min_value=-180, max_value=180)
            )
        ),
        created=draw(st.none() | moments),
        last_modified=draw(st.none() | moments),
        sequence=draw(st.integers(min_value=0, max_value=10**6)),
        cancelled=draw(st.booleans()),
        parent_uid=draw(st.none() | st.just("parent@kulturvest")),
    )


@st.composite
def calendars(draw):
    count = draw(st.integers(min_value=0, max_value=4))
    return {
        "entries": [draw(entries(f"entry-{number}@kulturvest")) for number in range(count)],
        "name": draw(typed_text.filter(str.strip)),
        "description": draw(typed_text),
        "tz": ZoneInfo(draw(st.sampled_from(ZONES))),
        "subscription": draw(st.booleans()),
    }


def line_breaks_as_read(text: str) -> str:
    """Return the text as a reader gives it back: RFC 5545 text knows only one line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def escaped(text: str) -> str:
    """Return the text as RFC 5545 writes TEXT."""
    for character, escape in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(character, escape)
    return text


@settings(PROPERTY_SETTINGS)
@given(calendars())
def test_any_entries_read_back_the_same_with_icalendar_vobject_and_ical_js(calendar):
    content = build_calendar_of_entries(
        calendar["entries"],
        name=calendar["name"],
        description=calendar["description"],
        base_url="https://kulturvest.example",
        tz=calendar["tz"],
        subscription=calendar["subscription"],
        language="en",
    )

    # The three parsers read the same events at the same instants (tests.calendars).
    document, read = read_calendar(content)
    if calendar["subscription"]:
        name = line_breaks_as_read(calendar["name"])
        assert read.x_wr_calname.value == read.contents["name"][0].value == name
        # icalendar reads these properties it does not know without unescaping them.
        assert str(document["X-WR-CALNAME"]) == str(document["NAME"]) == escaped(name)
        if calendar["description"]:
            description = line_breaks_as_read(calendar["description"])
            assert read.x_wr_caldesc.value == str(document["DESCRIPTION"]) == description
    by_icalendar = {str(e["UID"]): e for e in document.walk("VEVENT")}
    by_vobject = {e.uid.value: e for e in getattr(read, "vevent_list", [])}

    expected = {entry.uid: entry for entry in calendar["entries"]}
    assert set(by_icalendar) == set(expected)
    assert set(by_vobject) == set(expected)
    for uid, entry in expected.items():
        ours, theirs = by_icalendar[uid], by_vobject[uid]
        for text in ("summary", "description", "location"):
            written = line_breaks_as_read(getattr(entry, text))
            assert str(ours.get(text, "")) == written, text
            read = getattr(theirs, text).value if text in theirs.contents else ""
            assert read == written, text
        assert ours.decoded("dtstart").astimezone(UTC) == entry.start.astimezone(UTC)
        assert ours.decoded("dtend").astimezone(UTC) == entry.end.astimezone(UTC)
        assert theirs.dtstart.value.astimezone(UTC) == entry.start.astimezone(UTC)
        assert theirs.dtend.value.astimezone(UTC) == entry.end.astimezone(UTC)
        status = "CANCELLED" if entry.cancelled else "CONFIRMED"
        assert str(ours["STATUS"]) == theirs.status.value == status
        assert int(ours["SEQUENCE"]) == int(theirs.sequence.value) == entry.sequence
        assert str(ours["URL"]) == theirs.url.value == "https://kulturvest.example" + entry.url
