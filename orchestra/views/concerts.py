"""The project leader's concert planning page: the season's concerts, which groups play
(the junior groups always do), the guest ensembles invited, and the tickets' places left.

Concerts themselves are events (made in the admin or the events API); their tickets are
ticketing's offers. This page says who plays.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from orchestra.exceptions import OrchestraError
from orchestra.models import Group
from orchestra.selectors import is_orchestra_staff
from orchestra.selectors.masterclasses import orchestra_concerts, planned_concerts
from orchestra.services.masterclasses import plan_concert

# Concerts stay on the page this long after they were played.
KEEP_PAST = timedelta(days=60)


def _staff_only(request):
    if not is_orchestra_staff(request.user):
        raise PermissionDenied


@login_required
@require_safe
def concert_planning(request):
    _staff_only(request)
    since = timezone.now() - KEEP_PAST
    concerts = planned_concerts(orchestra_concerts().filter(end__gte=since).order_by("start", "pk"))
    return render(request, "orchestra/concerts/planning.html", {"concerts": concerts})


@login_required
@require_POST
def set_concert_groups(request, pk):
    _staff_only(request)
    event = get_object_or_404(orchestra_concerts(), pk=pk)
    chosen = [value for value in request.POST.getlist("groups") if value.isdigit()]
    groups = Group.objects.filter(pk__in=chosen, season_id=event.period_id)
    try:
        plan_concert(event=event, groups=groups, by=request.user)
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The line-up of %(concert)s is saved.") % {"concert": event})
    return redirect(reverse("orchestra:concert_planning") + f"#concert-{event.pk}")


urlpatterns = [
    path("stab/orkester/konserter/", concert_planning, name="concert_planning"),
    path(
        "stab/orkester/konserter/<int:pk>/grupper/",
        set_concert_groups,
        name="concert_groups",
    ),
]
