"""The platform's own pages."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.policies import MANAGE_RETENTION, requires
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
