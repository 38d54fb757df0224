"""Pages of ticketing: register, manage a registration, tickets, the scanner, staff overview."""

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import questions, ratelimit, spreadsheets
from core.policies import requires
from events.models import Event
from events.policies import SEE_EVENT
from events.selectors import events_visible_to
from ticketing import selectors, services
from ticketing.exceptions import CapacityError, TicketingError
from ticketing.forms import RegistrationForm
from ticketing.models import MANAGE_SALT, CheckinList, Registration, Ticket
from ticketing.policies import (
    HOLDS_SECRET_LINK,
    MANAGE_REGISTRATIONS,
    REGISTER,
    SCAN_AT_LIST,
    SCANNER_START,
)
from ticketing.qr import qr_png, qr_svg
from ticketing.resources import AttendeeResource


def event_panel(request, event: Event) -> str:
    """Render the offers of an event, with places left, for the event's page."""
    offers = selectors.offers_for_event(event)
    staff = MANAGE_REGISTRATIONS.admits(request.user)
    if not offers and not staff:
        return ""
    return render_to_string(
        "ticketing/_event_offers.html",
        {
            "event": event,
            "offers": offers,
            "can_register": any(o.on_sale for o in offers),
            "staff": staff,
        },
        request=request,
    )


@requires(REGISTER)
@ratelimit.rate_limited(ratelimit.EVENT_REGISTRATION)
def register(request, pk):
    event = SEE_EVENT.get_object(request, events_visible_to(request.user), pk=pk)
    offers = selectors.offers_for_event(event)
    if not offers:
        raise Http404
    full = all(item.sold_out for item in offers if item.on_sale)
    form = RegistrationForm(request.POST or None, request.FILES or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        try:
            # The answers to the offers' questions are saved with the registration, or neither.
            with transaction.atomic():
                registration = services.register(
                    event=event,
                    tickets=form.ticket_requests(),
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    user=request.user,
                    language=translation.get_language() or "nb",
                    join_waitlist=form.cleaned_data["join_waitlist"],
                    by=request.user,
                )
                form.save_answers(registration)
        except CapacityError as exc:
            form.add_error(None, str(exc))
            full = True
        except TicketingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(registration.get_absolute_url())
    return render(
        request,
        "ticketing/register.html",
        {"event": event, "form": form, "offers": offers, "full": full},
        status=400 if form.errors else 200,
    )


def _registration_from_token(token: str) -> Registration:
    try:
        code = signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return get_object_or_404(
        Registration.objects.select_related("event", "event__venue", "event__period"),
        code=code,
    )


@requires(HOLDS_SECRET_LINK, obj=None)
@require_safe
def manage(request, token):
    registration = _registration_from_token(token)
    tickets = registration.tickets.select_related("offer").order_by("pk")
    return render(
        request,
        "ticketing/manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "tickets": tickets,
            "token": token,
            "show_tickets": registration.state == Registration.State.CONFIRMED,
        },
    )


@requires(HOLDS_SECRET_LINK, obj=None)
@require_POST
def manage_action(request, token, action):
    registration = _registration_from_token(token)
    try:
        if action == "cancel":
            services.cancel_registration(registration=registration, by=request.user)
            messages.success(request, _("Your registration is cancelled."))
        elif action == "cancel-ticket":
            ticket = get_object_or_404(
                registration.tickets, pk=request.POST.get("ticket", "").strip() or 0
            )
            services.cancel_ticket(ticket=ticket, by=request.user)
            messages.success(request, _("The ticket is cancelled."))
        elif action == "accept":
            services.accept_waitlist_offer(registration=registration, by=request.user)
            messages.success(request, _("The place is yours."))
        elif action == "decline":
            services.decline_waitlist_offer(registration=registration, by=request.user)
            messages.success(request, _("You have declined the place. Thank you for telling us."))
        else:
            raise Http404
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:manage", token=token)


def _valid_ticket(secret: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related(
            "offer", "registration", "offer__event", "offer__event__venue"
        ),
        secret=secret,
    )


@requires(HOLDS_SECRET_LINK, obj=None)
@require_safe
def ticket(request, secret):
    """A ticket's page: whoever has its secret sees it; a child's name only those who may."""
    ticket = _valid_ticket(secret)
    visible = selectors.may_see_attendee_name(
        ticket, user=request.user, manage_token=request.GET.get("manage", "")
    )
    return render(
        request,
        "ticketing/ticket.html",
        {
            "ticket": ticket,
            "event": ticket.offer.event,
            "registration": ticket.registration,
            "attendee_name": selectors.attendee_label(ticket, child_names_visible=visible),
        },
    )


@requires(HOLDS_SECRET_LINK, obj=None)
@require_safe
def ticket_qr(request, secret, fmt):
    ticket = _valid_ticket(secret)
    if fmt == "svg":
        response = HttpResponse(qr_svg(ticket.secret), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(ticket.secret), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Robots-Tag"] = "noindex"
    return response


@requires(HOLDS_SECRET_LINK, obj=None)
@require_safe
def print_tickets(request, token):
    registration = _registration_from_token(token)
    if registration.state != Registration.State.CONFIRMED:
        raise Http404
    tickets = registration.tickets.filter(cancelled_at__isnull=True).select_related("offer")
    return render(
        request,
        "ticketing/print.html",
        {"registration": registration, "event": registration.event, "tickets": tickets},
    )


@requires(SCAN_AT_LIST)
@require_safe
def scanner(request, pk):
    checkin_list = SCAN_AT_LIST.get_object(request, selectors.checkin_lists(), pk=pk)
    return render(
        request,
        "ticketing/scanner.html",
        {"checkin_list": checkin_list, "status": selectors.list_status(checkin_list)},
    )


@requires(SCANNER_START, obj=None)
@require_safe
def scanner_index(request):
    lists = selectors.checkin_lists_for(request.user).order_by("event__start", "name")
    return render(request, "ticketing/scanner_index.html", {"lists": lists})


@requires(MANAGE_REGISTRATIONS)
@require_safe
def event_registrations(request, pk):
    event = MANAGE_REGISTRATIONS.get_object(
        request, Event.objects.select_related("venue", "period"), pk=pk
    )
    registrations = list(selectors.registrations_for_event(event))
    questions.record_health_reads(
        viewer=request.user,
        answers=[answer for r in registrations for answer in r.answers.all()],
        path=request.path,
        channel="page",
    )
    lists = list(CheckinList.objects.filter(event=event).order_by("name"))
    statuses = selectors.list_statuses(lists)
    return render(
        request,
        "ticketing/event_registrations.html",
        {
            "event": event,
            "offers": selectors.offers_for_event(event, public_only=False),
            "registrations": [r for r in registrations if r.state != Registration.State.WAITLISTED],
            "waitlist": [r for r in registrations if r.state == Registration.State.WAITLISTED],
            "lists": [(item, statuses[item.pk]) for item in lists],
        },
    )


@requires(MANAGE_REGISTRATIONS)
@require_safe
def export_attendees(request, pk, fmt):
    """Download the event's attendees as CSV or XLSX."""
    event = MANAGE_REGISTRATIONS.get_object(request, Event.objects.all(), pk=pk)
    attendees = list(selectors.attendees_for_event(event))
    questions.record_health_reads(
        viewer=request.user,
        answers={a.pk: a for t in attendees for a in t.registration.answers.all()}.values(),
        path=request.path,
        channel="export",
    )
    dataset = AttendeeResource().export(attendees)
    return spreadsheets.download(dataset, fmt, f"{slugify(event.title)[:60] or 'event'}-attendees")
