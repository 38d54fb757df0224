"""Ticketing's reminders, sent by send_due_messages (core.due): ticket holders before the
event, with their tickets, and a waitlist offer not answered before it expires. Each goes
once: its key names the registration and the moment it is about (the event's start, the
offer's expiry), so a moved event or a new offer is reminded again."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.due import Upcoming, due_sender
from core.reminders import remind, when
from events.models import Event
from ticketing.emails import build_email
from ticketing.models import Registration

TICKETS = "ticketing.ticket_reminders"
OFFERS = "ticketing.waitlist_offer_reminders"


def _ticket_hours() -> timedelta:
    return timedelta(hours=settings.TICKET_REMINDER_HOURS)


def tickets_to_remind(now: datetime):
    """Confirmed registrations with tickets whose event starts within TICKET_REMINDER_HOURS,
    confirmed before the reminder's moment (a later one just got its tickets)."""
    return (
        Registration.objects.filter(
            state=Registration.State.CONFIRMED,
            event__status=Event.Status.SCHEDULED,
            event__start__gt=now,
            event__start__lte=now + _ticket_hours(),
        )
        .filter(
            Q(confirmed_at__lt=F("event__start") - _ticket_hours())
            | Q(confirmed_at__isnull=True, created_at__lt=F("event__start") - _ticket_hours())
        )
        .filter(tickets__cancelled_at__isnull=True)
        .distinct()
        .select_related("event", "event__venue", "event__period")
        .prefetch_related("tickets__offer")
        .order_by("event__start", "pk")
    )


@due_sender(
    TICKETS,
    order=210,
    label=gettext_lazy("Tickets the day before"),
    upcoming=lambda now, until: upcoming_ticket_reminders(now, until),
)
def remind_ticket_holders(now: datetime) -> int:
    """Send each ticket holder their tickets again before the event, once per start."""
    queued = 0
    for registration in tickets_to_remind(now):
        event = registration.event

        def email(address, registration=registration, event=event):
            return build_email(
                registration,
                to=address,
                subject=_("Reminder: %(event)s, %(start)s")
                % {"event": event.title, "start": when(event.start, short=True)},
                template="tickets",
                context={"reminder": True},
                tickets=True,
            )

        def sms(registration=registration, event=event):
            return _("Reminder: %(event)s, %(start)s. Your tickets: %(url)s") % {
                "event": event.title,
                "start": when(event.start, short=True),
                "url": settings.SITE_URL + registration.get_absolute_url(),
            }

        queued += remind(
            registration.email,
            kind="ticketing.ticket_reminder",
            about=registration,
            occasion=f"start-{event.start:%Y%m%d%H%M}",
            email=email,
            sms=sms,
            language=registration.language,
        )
    return queued


def upcoming_ticket_reminders(now: datetime, until: datetime) -> list[Upcoming]:
    """Per event, the registrations to be reminded between now and ``until`` (one query)."""
    events = (
        Event.objects.filter(
            status=Event.Status.SCHEDULED,
            start__gt=now + _ticket_hours(),
            start__lte=until + _ticket_hours(),
        )
        .annotate(
            holders=Count(
                "registrations",
                filter=Q(registrations__state=Registration.State.CONFIRMED),
                distinct=True,
            )
        )
        .filter(holders__gt=0)
        .order_by("start", "pk")
    )
    return [
        Upcoming(
            sender=TICKETS,
            what=_("Tickets: %(event)s") % {"event": event.title},
            at=event.start - _ticket_hours(),
            recipients=event.holders,
        )
        for event in events
    ]


# Waitlist offers ---------------------------------------------------------------------------


def _offer_hours() -> timedelta:
    return timedelta(hours=settings.WAITLIST_OFFER_REMINDER_HOURS)


def offers_to_remind(now: datetime):
    """Waitlist offers not answered that expire within WAITLIST_OFFER_REMINDER_HOURS; none
    when offers last no longer than that (the offer itself was the reminder)."""
    if settings.WAITLIST_OFFER_HOURS <= settings.WAITLIST_OFFER_REMINDER_HOURS:
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            state=Registration.State.WAITLISTED,
            waitlist_offer_declined=False,
            waitlist_offer_expires_at__gt=now,
            waitlist_offer_expires_at__lte=now + _offer_hours(),
        )
        .select_related("event", "event__venue", "event__period")
        .prefetch_related("tickets__offer")
        .order_by("waitlist_offer_expires_at", "pk")
    )


@due_sender(
    OFFERS,
    order=205,
    label=gettext_lazy("Waitlist offers about to expire"),
    upcoming=lambda now, until: upcoming_offer_reminders(now, until),
)
def remind_waitlist_offers(now: datetime) -> int:
    """Remind each person offered a place who has not answered, once per offer."""
    queued = 0
    for registration in offers_to_remind(now):
        event = registration.event
        expires = registration.waitlist_offer_expires_at

        def email(address, registration=registration, event=event):
            return build_email(
                registration,
                to=address,
                subject=_("The place held for you expires soon: %(event)s")
                % {"event": event.title},
                template="waitlist_offer",
                context={"reminder": True},
            )

        def sms(registration=registration, event=event, expires=expires):
            return _(
                "A place at %(event)s is held for you until %(until)s. Accept or decline: %(url)s"
            ) % {
                "event": event.title,
                "until": when(expires, short=True),
                "url": settings.SITE_URL + registration.get_absolute_url(),
            }

        queued += remind(
            registration.email,
            kind="ticketing.waitlist_offer_reminder",
            about=registration,
            occasion=f"expires-{expires:%Y%m%d%H%M}",
            email=email,
            sms=sms,
            language=registration.language,
        )
    return queued


def upcoming_offer_reminders(now: datetime, until: datetime) -> list[Upcoming]:
    """Open offers whose reminder falls between now and ``until``, per event (one query)."""
    if settings.WAITLIST_OFFER_HOURS <= settings.WAITLIST_OFFER_REMINDER_HOURS:
        return []
    rows = (
        Registration.objects.filter(
            state=Registration.State.WAITLISTED,
            waitlist_offer_declined=False,
            waitlist_offer_expires_at__gt=now + _offer_hours(),
            waitlist_offer_expires_at__lte=until + _offer_hours(),
        )
        .select_related("event")
        .order_by("waitlist_offer_expires_at", "pk")
    )
    return [
        Upcoming(
            sender=OFFERS,
            what=_("Waitlist offer: %(event)s") % {"event": row.event.title},
            at=row.waitlist_offer_expires_at - _offer_hours(),
            recipients=1,
        )
        for row in rows
    ]
