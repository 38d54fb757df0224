"""Pages of ticketing: register, manage a registration, tickets, the scanner, staff overview."""

import contextlib

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core import questions, ratelimit, spreadsheets
from core.policies import requires
from events.models import Event
from events.policies import SEE_EVENT
from events.selectors import events_visible_to
from ticketing import payments, selectors, services
from ticketing.exceptions import AlreadyRegistered, CapacityError, TicketingError
from ticketing.forms import RegistrationForm
from ticketing.models import MANAGE_SALT, CheckinList, Registration, Ticket
from ticketing.payments import services as payment_services
from ticketing.payments.base import ProviderError, Refused
from ticketing.payments.forms import MarkPaidForm, RefundForm
from ticketing.policies import (
    HOLDS_SECRET_LINK,
    MANAGE_REGISTRATIONS,
    MANAGE_TICKETING,
    PAYMENT_CALLBACK,
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
    if request.method == "POST" and "send_link_again" in request.POST:
        return _send_link_again(request, event, form)
    already_registered = False
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
                    form_key=form.cleaned_data["form_key"],
                    check_same_email=not form.cleaned_data["confirm_another"],
                )
                # The same form sent again answers with its registration: answered already.
                if not getattr(registration, "replayed", False):
                    form.save_answers(registration)
        except AlreadyRegistered as exc:
            # Nothing of the registration is shown: the person typing may not own the address.
            form.add_error("email", str(exc))
            already_registered = True
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
        {
            "event": event,
            "form": form,
            "offers": offers,
            "full": full,
            "already_registered": already_registered,
        },
        status=400 if form.errors else 200,
    )


def _send_link_again(request, event, form):
    """The "send me my link again" button of the "already registered" answer.

    The link goes only to the address itself, and the page says the same whether or not
    it has a registration. Besides the form's limit per client address, one address gets
    at most as many such emails an hour as that limit allows, and one form asks once.
    """
    form.is_valid()
    email = form.cleaned_data.get("email")
    form_key = form.cleaned_data.get("form_key")
    if not email or not form_key:
        if email:
            form.add_error(None, _("This form is out of date. Check it and send it again."))
        return render(
            request,
            "ticketing/register.html",
            {"event": event, "form": form, "offers": selectors.offers_for_event(event)},
            status=400,
        )
    retry_after = ratelimit.take(ratelimit.EVENT_REGISTRATION, f"link-again:{email.lower()}")
    if retry_after is not None:
        return ratelimit.too_many_requests(request, retry_after=retry_after)
    services.resend_manage_links(event=event, email=email, form_key=form_key, by=request.user)
    messages.success(
        request,
        _(
            "If %(email)s is registered for this event, "
            "the link to the registration is on its way there."
        )
        % {"email": email},
    )
    return redirect(event.get_absolute_url())


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
            "how_to_pay": selectors.how_to_pay(registration),
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
        elif action == "pay":
            attempt = payment_services.start_payment(
                registration=registration,
                provider_key=request.POST.get("provider", ""),
                return_url=request.build_absolute_uri(
                    reverse("ticketing:payment_return", args=[token])
                ),
            )
            return render(
                request,
                "ticketing/payment_redirect.html",
                {"attempt": attempt, "provider": payments.provider(attempt.provider)},
            )
        elif action == "decline":
            services.decline_waitlist_offer(registration=registration, by=request.user)
            messages.success(request, _("You have declined the place. Thank you for telling us."))
        else:
            raise Http404
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:manage", token=token)


@requires(HOLDS_SECRET_LINK, obj=None)
@require_safe
def payment_return(request, token):
    """Where the payment provider sends the payer back: ask it how the payment stands."""
    registration = _registration_from_token(token)
    attempt = registration.payment_attempts.order_by("-pk").first()
    if attempt is not None and attempt.is_open:
        with contextlib.suppress(ProviderError):  # the webhook or the poller will tell
            attempt = payment_services.check_payment(attempt)
    if attempt is None:
        return redirect("ticketing:manage", token=token)
    if attempt.state == attempt.State.PAID:
        messages.success(
            request, _("Thank you: it is paid. Your tickets are on their way by email.")
        )
    elif attempt.state == attempt.State.FAILED:
        messages.error(request, _("The payment was not completed. You can try again."))
    elif attempt.is_open:
        messages.info(request, _("We are waiting for the payment to be confirmed."))
    return redirect("ticketing:manage", token=token)


@csrf_exempt
@requires(PAYMENT_CALLBACK, obj=None)
@require_POST
def payment_callback(request, provider):
    """A payment provider's webhook: 200 when recorded, 401 when forged, 503 to be retried."""
    if payments.provider(provider) is None:
        raise Http404
    try:
        payment_services.handle_callback(provider, request)
    except Refused:
        return HttpResponse(status=401)
    except ProviderError:
        return HttpResponse(status=503)
    return HttpResponse(status=200)


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
        {
            "checkin_list": checkin_list,
            "status": selectors.list_status(checkin_list),
            # Who may mark an unpaid ticket paid at the door (the API's mark-paid).
            "can_collect": MANAGE_TICKETING.admits(request.user),
        },
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


@requires(MANAGE_REGISTRATIONS)
@require_safe
def event_payments(request, pk):
    """An event's payments: who owes and has paid, every transaction, the online payments."""
    event = MANAGE_REGISTRATIONS.get_object(
        request, Event.objects.select_related("venue", "period"), pk=pk
    )
    return render(
        request,
        "ticketing/event_payments.html",
        {
            "event": event,
            "registrations": selectors.paying_registrations(event),
            "payments": selectors.payments_for_event(event),
            "attempts": selectors.payment_attempts_for_event(event),
            "mark_paid_form": MarkPaidForm(),
            "refund_form": RefundForm(),
        },
    )


@requires(MANAGE_REGISTRATIONS)
@require_POST
def registration_payment_action(request, pk, action):
    """Staff mark a registration paid (bank transfer, at the door) or refund it."""
    registration = MANAGE_REGISTRATIONS.get_object(request, Registration.objects.all(), pk=pk)
    try:
        if action == "mark-paid":
            form = MarkPaidForm(request.POST)
            if not form.is_valid():
                raise TicketingError(_("Choose how it was paid."))
            services.record_payment(
                registration=registration,
                by=request.user,
                provider=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
            )
            messages.success(request, _("%(code)s is marked paid.") % {"code": registration.code})
        elif action == "refund":
            form = RefundForm(request.POST)
            if not form.is_valid():
                raise TicketingError(_("Give a valid amount."))
            refund = payment_services.refund(
                registration=registration,
                by=request.user,
                amount=form.cleaned_data["amount"],
                through_provider=form.cleaned_data["through_provider"],
                reference=form.cleaned_data["reference"],
            )
            messages.success(
                request,
                _("%(amount)s is refunded on %(code)s.")
                % {"amount": refund.amount, "code": registration.code},
            )
        else:
            raise Http404
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:event_payments", pk=registration.event_id)
