"""What the apps' demo modules share: Oslo time, the demo's dates and calendar UIDs.

Each app's ``demo.load(command)`` is called by ``manage.py load_demo``; this module holds
no demo data of its own.

Every date of the demo is counted from one day, the demo's *anchor*: the Monday of the
week that holds tomorrow (Europe/Oslo). From Monday to Saturday that is this week's
Monday; on a Sunday it is tomorrow, so that on a Sunday "this weekend" is already the
coming one and every journey still has something ahead. Because the anchor only ever
moves by whole weeks, a date counted from it keeps its weekday (a Saturday stays a
Saturday), and a second run in the same week finds every date where it left it.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

OSLO = ZoneInfo("Europe/Oslo")
SATURDAY = 5

# Context managers the whole load runs in, registered by the apps in AppConfig.ready:
# events records no change notices while the demo's dates are moved to a new anchor.
_load_contexts: list = []


def register_load_context(factory) -> None:
    """Run every demo load inside ``factory()`` (a context manager)."""
    if factory not in _load_contexts:
        _load_contexts.append(factory)


def load_contexts() -> list:
    return list(_load_contexts)


def today() -> date:
    """Return today's date in Oslo."""
    return timezone.localdate(timezone.now(), OSLO)


def anchor(day: date | None = None) -> date:
    """Return the Monday of the week that holds the day after ``day`` (default: today)."""
    tomorrow = (day or today()) + timedelta(days=1)
    return tomorrow - timedelta(days=tomorrow.weekday())


def days(n: int) -> date:
    """Return the day ``n`` days after the anchor (this week's Monday; see the module)."""
    return anchor() + timedelta(days=n)


def weeks(n: int, weekday: int = 0) -> date:
    """Return the given weekday (0 Monday … 6 Sunday) of the week ``n`` weeks from now."""
    return days(7 * n + weekday)


def this_weekend() -> tuple[date, date]:
    """Return the Saturday and Sunday of the demo's week (the coming one on a Sunday)."""
    return days(SATURDAY), days(SATURDAY + 1)


def next_weekday(weekday: int, after: date | None = None) -> date:
    """Return the first day after ``after`` (default: today) that falls on this weekday."""
    after = after or today()
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def at(day: str | date, clock: str) -> datetime:
    """Return an aware Oslo time from a day (a date or an ISO day) and HH:MM."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=OSLO)


def demo_uid(key: str) -> str:
    """Return the calendar UID of the demo event with this key; apps find events by it."""
    return f"demo-{key}@kulturvest"


def shift(command, queryset, fields: list[str], by: timedelta) -> int:
    """Move the dates and times of rows made once by ``by``; return how many moved.

    The demo's bulk rows (tallies, opening hours, attendance…) are made on the first run
    only; when a later run finds the anchor moved, they move with it (``command.shift``
    holds the distance, in whole weeks) instead of being made again.
    """
    if not by:
        return 0
    rows = list(queryset.only("pk", *fields))
    for row in rows:
        for field in fields:
            value = getattr(row, field)
            if value is not None:
                setattr(row, field, value + by)
    queryset.model.objects.bulk_update(rows, fields, batch_size=500)
    if rows:
        with translation.override("en"):
            label = str(queryset.model._meta.verbose_name_plural)
        command.changes[(label, "moved")] += len(rows)
    return len(rows)
