"""The platform's own pages."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.dashboard import panels_admitting, panels_for, stylesheets_of
from core.policies import LOGGED_IN, MANAGE_RETENTION, requires
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
