"""The platform's own pages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import accessibility, mail
from core.dashboard import panels_admitting, panels_for, stylesheets_of
from core.models import OutboundMessage
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
    """Emails that failed or wait to be sent, for staff to see and resend."""
    rows = list(
        mail.messages_needing_attention().defer("payload", "body", "html_body")[
            :OUTBOUND_PAGE_LIMIT
        ]
    )
    return render(
        request,
        "core/outbound_messages.html",
        {"rows": rows, "limit": OUTBOUND_PAGE_LIMIT},
    )


@requires(STAFF)
@require_POST
def outbound_message_resend(request, pk):
    """Queue a failed message again (core.mail.resend_message)."""
    message = STAFF.get_object(request, OutboundMessage.objects.all(), pk=pk)
    mail.resend_message(message, by=request.user)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("core:outbound_messages")
