"""Workflows that change events."""

from django.db import transaction
from django.utils.translation import gettext as _

from events.exceptions import EventsError
from events.models import Event
from events.notices import changes_by


@transaction.atomic
def cancel_event(*, event: Event, cascade: bool = True) -> Event:
    """Cancel an event (and by default its sessions); feeds then mark it cancelled.

    The event keeps its UID; its revision grows so that subscribers update it.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise EventsError(_("The event is already cancelled."))
    event.status = Event.Status.CANCELLED
    event.full_clean()
    event.save()
    if cascade:
        for child in event.children.select_for_update().exclude(status=Event.Status.CANCELLED):
            child.status = Event.Status.CANCELLED
            child.save()
    return event


@transaction.atomic
def reinstate_event(*, event: Event) -> Event:
    """Set a cancelled event back to scheduled."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_cancelled:
        raise EventsError(_("The event is not cancelled."))
    event.status = Event.Status.SCHEDULED
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def change_event(
    *,
    event: Event,
    start,
    end,
    venue,
    status: str,
    by=None,
    quiet: bool = False,
) -> Event:
    """Change what participants see of an event: its time, place and status.

    Everyone concerned is told (events.notices) unless ``quiet`` (a typo corrected): the
    revision grows either way, so calendar feeds follow. Cancelling cancels the sessions
    too; reinstating sets only the event back.
    """
    with changes_by(by, quiet=quiet):
        event = Event.objects.select_for_update().get(pk=event.pk)
        if status == Event.Status.CANCELLED and not event.is_cancelled:
            cancel_event(event=event)
        elif status == Event.Status.SCHEDULED and event.is_cancelled:
            reinstate_event(event=event)
        event = Event.objects.select_for_update().get(pk=event.pk)
        event.start, event.end, event.venue = start, end, venue
        event.full_clean()
        event.save()
    return event
