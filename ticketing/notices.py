"""Who holds a ticket or waits for one when an event changes (events.notices): each live
registration's buyer, in the registration's language. Registered in TicketingConfig.ready."""

from events.notices import Recipient, register_audience
from ticketing.models import Registration


@register_audience
def ticketing_audience(event, events):
    registrations = (
        Registration.objects.filter(
            event__in=events,
            state__in=[*Registration.HOLDING_STATES, Registration.State.WAITLISTED],
        )
        .select_related("user")
        .order_by("created_at", "pk")
    )
    for registration in registrations:
        kind = "waitlist" if registration.state == Registration.State.WAITLISTED else None
        yield Recipient(
            kind or "ticket_holder",
            registration.email,
            user=registration.user,
            language=registration.language,
        )
