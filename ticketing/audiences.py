"""Ticketing's audience of messages to groups (core.audiences): the attendees of an
event, one per registration that holds places (pending or confirmed), by the name and
address they registered with, in the language they registered in. One query.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audiences
from core.audiences import Param, Recipient, int_param
from events.models import Event
from ticketing.models import Registration

# How many events the choice lists (the newest first).
EVENT_CHOICES = 300


def _events() -> list[tuple[str, str]]:
    registered = Registration.objects.filter(event=OuterRef("pk"))
    events = (
        Event.objects.filter(Exists(registered))
        .select_related("period")
        .order_by("-start", "pk")[:EVENT_CHOICES]
    )
    return [(str(e.pk), f"{e.title_nb} ({e.start:%d.%m.%Y})") for e in events]


def _attendees(params: dict) -> list[Recipient]:
    registrations = Registration.objects.filter(
        event=int_param(params, "event"), state__in=Registration.HOLDING_STATES
    ).order_by("created_at", "pk")
    return [
        Recipient(
            label=r.name,
            role="attendee",
            email=r.email,
            user_id=r.user_id,
            language=r.language,
        )
        for r in registrations
    ]


def _describe(params: dict) -> str:
    title = Event.objects.filter(pk=int_param(params, "event")).values_list("title_nb", flat=True)
    return _("Registered for %(event)s") % {"event": title.first() or "–"}


def register() -> None:
    audiences.register(
        "ticketing.attendees",
        gettext_lazy("Attendees of an event"),
        params=(Param("event", gettext_lazy("Event"), _events),),
        recipients=_attendees,
        describe=_describe,
        order=20,
    )
