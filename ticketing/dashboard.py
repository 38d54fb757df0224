"""Ticketing's panels on the dashboard (core.dashboard): registrations and waitlists for
the organisers, today's scanning for an event's hosts."""

from django.utils.translation import gettext_lazy as _

from core import dashboard
from ticketing import policies, selectors


def registrations_panel(user, now) -> dict | None:
    """Registrations today and this week; the coming events with a waitlist or approvals."""
    day_start, _day_end = dashboard.local_day_bounds(now)
    activity = selectors.registration_activity(
        day_start=day_start, week_start=dashboard.local_week_start(now), now=now
    )
    if not (activity["week"] or activity["events"]):
        return None
    return activity


def scanning_panel(user, now) -> dict | None:
    """The check-in lists of the events the user hosts today, with the scanner's link."""
    day_start, day_end = dashboard.local_day_bounds(now)
    lists = selectors.hosted_lists_on(user, day_start=day_start, day_end=day_end)
    return {"lists": lists} if lists else None


def register_panels() -> None:
    dashboard.register(
        "ticketing.registrations",
        _("Registrations and waitlists"),
        "ticketing/dashboard/registrations.html",
        policies.MANAGE_REGISTRATIONS,
        order=10,
        context=registrations_panel,
    )
    dashboard.register(
        "ticketing.scanning",
        _("Scanning today"),
        "ticketing/dashboard/scanning.html",
        policies.SCAN_AT_LIST,
        order=40,
        context=scanning_panel,
    )
