"""The open-studio weekends of an edition and their days: what a studio's opening hours
must fall within. The models (StudioHours) and the selectors both read this module, and
it reads only the events app, so that the models import no selector."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from events.models import Event, Period


def open_studio_weekends(edition: Period) -> QuerySet[Event]:
    """Return the edition's open-studio weekends (events), in order."""
    return Event.objects.filter(period=edition, kind=Event.Kind.OPEN_STUDIO_WEEKEND).order_by(
        "start"
    )


def open_studio_days(edition: Period) -> list[date]:
    """Return every day of the edition's open-studio weekends, in order (local dates)."""
    return days_of(open_studio_weekends(edition))


def days_of(weekends) -> list[date]:
    """Return every day of the given weekends (events), in order (local dates)."""
    days = []
    for weekend in weekends:
        day = timezone.localtime(weekend.start).date()
        last = timezone.localtime(weekend.end).date()
        while day <= last:
            days.append(day)
            day += timedelta(days=1)
    return sorted(set(days))
