"""The platform's own pages."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import accessibility, mail, reach, reminders, sms, webhooks
from core.dashboard import panels_admitting, panels_for, stylesheets_of
from core.forms import ContactPreferenceForm, WebhookEndpointForm
from core.models import OutboundMessage, WebhookDelivery, WebhookEndpoint
from core.policies import LOGGED_IN, MANAGE_RETENTION, PUBLIC, STAFF, requires
from core.retention import retention_outlook

# How far ahead the retention page looks.
RETENTION_OUTLOOK_DAYS = 90


@requires(MANAGE_RETENTION, obj=None)
@require_safe
def retention_page(request):
    """What each retention rule clears today and in the coming days: kinds, ids, days."""
    return render(
        request,
        "core/retention.html",
        {
            "outlooks": retention_outlook(days=RETENTION_OUTLOOK_DAYS),
            "days": RETENTION_OUTLOOK_DAYS,
        },
    )


@requires(LOGGED_IN, obj=None)
@require_safe
def dashboard(request):
    """What needs the login now: the panels of every role they hold (core.dashboard)."""
    admitted = panels_admitting(request.user)
    shown = panels_for(request.user, timezone.now(), admitted)
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": shown,
            "stylesheets": stylesheets_of(shown),
            "has_role_panels": bool(admitted),
        },
    )


@requires(PUBLIC, obj=None)
@require_safe
def accessibility_statement(request):
    """The accessibility statement: what the tests check, the known barriers, the contact."""
    return render(
        request,
        "core/accessibility.html",
        {
            "standard": accessibility.STANDARD,
            "level": accessibility.LEVEL,
            "checks": accessibility.CHECKS,
            "barriers": accessibility.KNOWN_BARRIERS,
            "axe_version": accessibility.AXE_VERSION,
            "axe_tags": accessibility.AXE_TAGS,
            "contact": accessibility.contact_email(),
            "statement_date": accessibility.STATEMENT_DATE,
            "regulation_url": accessibility.REGULATION_URL,
            "complaint_url": accessibility.COMPLAINT_URL,
        },
    )


# How many failed and queued messages the staff page lists (newest first).
OUTBOUND_PAGE_LIMIT = 200


@requires(STAFF, obj=None)
@require_safe
def outbound_messages(request):
    """Emails and SMS that failed or wait to be sent, for staff to see and resend; the
    addresses and numbers that fail; whether SMS is configured."""
    rows = list(
        mail.messages_needing_attention().defer("payload", "body", "html_body")[
            :OUTBOUND_PAGE_LIMIT
        ]
    )
    return render(
        request,
        "core/outbound_messages.html",
        {
            "rows": rows,
            "limit": OUTBOUND_PAGE_LIMIT,
            "sms_configured": reach.sms_configured(),
            "failing": list(reach.failing_addresses()[:OUTBOUND_PAGE_LIMIT]),
        },
    )


# How far ahead the page of reminders looks at most (a call's deadline is weeks away).
REMINDER_DAYS_MAX = 60


@requires(STAFF, obj=None)
@require_safe
def reminders_page(request):
    """The reminders that will go in the next days (what, when, to how many) and those sent
    recently (core.reminders.outlook)."""
    back = settings.REMINDER_PREVIEW_DAYS
    try:
        days = min(max(int(request.GET.get("dager", back)), 1), REMINDER_DAYS_MAX)
    except ValueError:
        days = back
    return render(
        request,
        "core/reminders.html",
        {
            **reminders.outlook(timezone.now(), days=days, back=back),
            "days": days,
            "back": back,
            "choices": sorted({back, 30, REMINDER_DAYS_MAX}),
        },
    )


@requires(STAFF)
@require_POST
def outbound_message_resend(request, pk):
    """Queue a failed message again (core.mail.resend_message)."""
    message = STAFF.get_object(request, OutboundMessage.objects.all(), pk=pk)
    mail.resend_message(message, by=request.user)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("core:outbound_messages")


# Webhooks ----------------------------------------------------------------------------------

# How many deliveries an endpoint's page lists (newest first).
DELIVERIES_PAGE_LIMIT = 100


@requires(STAFF, obj=None)
@require_safe
def webhook_endpoints(request):
    """The webhook endpoints, with their events and their failed and pending deliveries."""
    return render(
        request,
        "core/webhooks/endpoints.html",
        {"endpoints": list(webhooks.endpoints_with_counts()), "labels": _event_labels()},
    )


@requires(STAFF, obj=None)
def webhook_endpoint_add(request):
    """Add an endpoint; its page then shows its signing secret."""
    form = WebhookEndpointForm(request.POST or None, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.create_endpoint(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The endpoint is added. Give its receiver the secret."))
            return redirect("core:webhook_endpoint", endpoint.pk)
    return render(request, "core/webhooks/endpoint_form.html", {"form": form})


@requires(STAFF)
def webhook_endpoint(request, pk):
    """An endpoint: its secret, its settings to change, and its latest deliveries."""
    endpoint = STAFF.get_object(request, WebhookEndpoint.objects.all(), pk=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "active": endpoint.active,
    }
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.update_endpoint(endpoint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("core:webhook_endpoint", endpoint.pk)
    deliveries = list(webhooks.deliveries_of(endpoint)[:DELIVERIES_PAGE_LIMIT])
    return render(
        request,
        "core/webhooks/endpoint.html",
        {
            "endpoint": endpoint,
            "form": form,
            "deliveries": deliveries,
            "limit": DELIVERIES_PAGE_LIMIT,
            "labels": _event_labels(),
        },
    )


@requires(STAFF)
@require_POST
def webhook_delivery_replay(request, pk):
    """Send a delivery again (core.webhooks.replay_delivery)."""
    delivery = STAFF.get_object(request, WebhookDelivery.objects.all(), pk=pk)
    webhooks.replay_delivery(delivery, by=request.user)
    messages.success(request, _("The delivery is queued to be sent again."))
    return redirect("core:webhook_endpoint", delivery.endpoint_id)


def _event_labels() -> dict[str, str]:
    return dict(webhooks.event_type_choices())


# How people are reached (core.reach, core.sms) ---------------------------------------------


@requires(LOGGED_IN, obj=None)
@require_http_methods(["GET", "HEAD", "POST"])
def contact_preferences(request):
    """The login's own channels, language and wanted messages, and its failing addresses."""
    pref = reach.preference_of(user=request.user)
    form = ContactPreferenceForm(
        request.POST or None, initial=ContactPreferenceForm.initial_of(pref)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reach.save_preference(
                request.user,
                language=data["language"],
                mobile=data["mobile"],
                sms=data["sms"],
                email_enabled=data["email_enabled"],
                muted=form.muted(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("core:contact_preferences")
    return render(
        request,
        "core/contact_preferences.html",
        {
            "form": form,
            "email": request.user.email,
            "sms_configured": reach.sms_configured(),
            "failing": reach.failing_for(request.user),
        },
    )


@requires(PUBLIC, obj=None)
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe (RFC 8058): a POST with the signed token turns the message's
    category off at once (no login, no CSRF token: the mail client posts it); a GET shows
    a page that asks to confirm, since link checkers open links."""
    try:
        address, category_key = reach.read_unsubscribe_token(token)
    except signing.BadSignature:  # forged, or expired (SignatureExpired is one)
        return render(request, "core/unsubscribe.html", {"invalid": True}, status=400)
    category = reach.CATEGORIES[category_key]
    if request.method == "POST":
        reach.unsubscribe(address, category_key)
        return render(request, "core/unsubscribe.html", {"done": True, "category": category})
    return render(request, "core/unsubscribe.html", {"category": category})


@requires(PUBLIC, obj=None)
@csrf_exempt
@require_POST
def sms_status(request):
    """The SMS provider's delivery-status callback (core.sms), refused unless its
    signature verifies."""
    provider = sms.provider()
    if provider is None:
        return HttpResponse(status=404)
    report = provider.parse_status_callback(
        sms.status_callback_url(), request.POST.dict(), request.headers
    )
    if report is None:
        return HttpResponseForbidden()
    sms.apply_status_report(report)
    return HttpResponse(status=204)
