"""Emails to the people who register: tickets with QR codes, waitlist offers, cancellations.

Each function takes a registration's id, reads it afresh and sends in the registration's
language. Services build them inside their transaction with
core.mail.queue_in_transaction(), so nothing is sent for a transaction that rolls back.
"""

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.mail import queue_email
from events.calendar import build_calendar
from events.models import Event
from ticketing import selectors
from ticketing.models import Registration
from ticketing.qr import qr_png


def _load(registration_id: int) -> Registration:
    return (
        Registration.objects.select_related("event", "event__venue", "event__period")
        .prefetch_related("tickets__offer")
        .get(pk=registration_id)
    )


def _send(
    registration: Registration,
    *,
    subject: str,
    template: str,
    context=None,
    tickets=False,
    occasion="",
    category="",
):
    """Render templates/ticketing/email/<template>.txt/.html and send them to the buyer.

    One email of each template per registration (its tickets are sent once, when it is
    confirmed); ``occasion`` tells apart those sent again for a new reason.
    """
    message = build_email(
        registration,
        to=registration.email,
        subject=subject,
        template=template,
        context=context,
        tickets=tickets,
    )
    queue_email(
        message,
        kind=f"ticketing.{template}",
        about=registration,
        occasion=occasion,
        category=category,
    )


def build_email(
    registration: Registration,
    *,
    to: str,
    subject: str,
    template: str,
    context=None,
    tickets=False,
) -> EmailMultiAlternatives:
    """The email of ``template`` about a registration, to ``to``, in the active language:
    with ``tickets``, each ticket's QR code inline and the event as an .ics file."""
    context = {
        "registration": registration,
        "event": registration.event,
        "site_url": settings.SITE_URL,
        "manage_url": settings.SITE_URL + registration.get_absolute_url(),
        "tickets": [t for t in registration.tickets.all() if not t.is_cancelled],
        **(context or {}),
    }
    text = render_to_string(f"ticketing/email/{template}.txt", context)
    html = render_to_string(f"ticketing/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=None, to=[to])
    message.attach_alternative(html, "text/html")
    if tickets:
        # Inline QR codes (cid:ticket-<id>) so that the email shows them without loading
        # anything from the web, and the event as an .ics file to add to a calendar.
        message.mixed_subtype = "related"
        for ticket in context["tickets"]:
            image = MIMEImage(qr_png(ticket.secret, box_size=6), "png")
            image.add_header("Content-ID", f"<ticket-{ticket.pk}>")
            image.add_header("Content-Disposition", "inline", filename=f"ticket-{ticket.pk}.png")
            message.attach(image)
        event = registration.event
        ics = build_calendar(
            Event.objects.filter(pk=event.pk).select_related("venue", "parent"),
            name=event.title,
            base_url=settings.SITE_URL,
            subscription=False,
            language=translation.get_language() or registration.language,
        )
        message.attach(f"{slugify(event.title)[:60] or 'event'}.ics", ics, "text/calendar")
    return message


def send_registration_received(registration_id: int) -> None:
    """Tell the buyer what happened: tickets, waiting for approval or payment, or waitlisted."""
    registration = _load(registration_id)
    with translation.override(registration.language):
        if registration.state == Registration.State.CONFIRMED:
            send_tickets(registration_id)
            return
        if registration.state == Registration.State.WAITLISTED:
            subject = _("You are on the waitlist: %(event)s")
        else:
            subject = _("Registration received: %(event)s")
        _send(
            registration,
            subject=subject % {"event": registration.event.title},
            template="received",
            context={"how_to_pay": selectors.how_to_pay(registration)},
            # Received while waitlisted, then again as pending once an offer is taken.
            occasion=registration.state,
        )


def send_tickets(registration_id: int) -> None:
    registration = _load(registration_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("Your tickets: %(event)s") % {"event": registration.event.title},
            template="tickets",
            tickets=True,
        )


def send_manage_link_again(registration_id: int, occasion: str) -> None:
    """The buyer's tickets (or the receipt of a registration not yet confirmed) again, with
    the manage link, asked for from a registration form; ``occasion`` names the asking."""
    registration = _load(registration_id)
    with translation.override(registration.language):
        title = {"event": registration.event.title}
        if registration.state == Registration.State.CONFIRMED:
            _send(
                registration,
                subject=_("Your tickets: %(event)s") % title,
                template="tickets",
                tickets=True,
                occasion=occasion,
            )
        elif registration.state == Registration.State.WAITLISTED:
            subject = _("You are on the waitlist: %(event)s") % title
            _send(registration, subject=subject, template="received", occasion=occasion)
        else:
            subject = _("Registration received: %(event)s") % title
            _send(registration, subject=subject, template="received", occasion=occasion)


def send_registration_cancelled(registration_id: int) -> None:
    registration = _load(registration_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("Registration cancelled: %(event)s") % {"event": registration.event.title},
            template="cancelled",
        )


def send_waitlist_offer(registration_id: int) -> None:
    registration = _load(registration_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("A place is free for you: %(event)s") % {"event": registration.event.title},
            template="waitlist_offer",
        )


def send_waitlist_offer_expired(registration_id: int) -> None:
    registration = _load(registration_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("The offered place has expired: %(event)s")
            % {"event": registration.event.title},
            template="waitlist_expired",
        )


def send_payment_hold_expired(registration_id: int) -> None:
    """The places held for an online payment were freed: it was not paid in time."""
    registration = _load(registration_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("Not paid in time: %(event)s") % {"event": registration.event.title},
            template="payment_hold_expired",
            category="receipt",
        )


def send_payment_refunded(registration_id: int, payment_id: int, late: bool = False) -> None:
    """A payment was refunded (by staff, or because it came after its places were gone)."""
    from ticketing.models import Payment

    registration = _load(registration_id)
    refund = Payment.objects.get(pk=payment_id)
    with translation.override(registration.language):
        _send(
            registration,
            subject=_("Refund: %(event)s") % {"event": registration.event.title},
            template="payment_refunded",
            context={"refund": refund, "late": late},
            occasion=payment_id,
            category="receipt",
        )
