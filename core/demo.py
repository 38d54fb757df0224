"""What the apps' demo modules share: Oslo time and the calendar UIDs of demo events.

Each app's ``demo.load(command)`` is called by ``manage.py load_demo``; this module holds
no demo data of its own.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def at(day: str | date, clock: str) -> datetime:
    """Return an aware Oslo time from a day (a date or an ISO day) and HH:MM."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=OSLO)


def demo_uid(key: str) -> str:
    """Return the calendar UID of the demo event with this key; apps find events by it."""
    return f"demo-{key}@kulturvest"
