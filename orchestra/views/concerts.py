"""The project leader's concert planning page: the season's concerts, which groups play
(the junior groups always do), the guest ensembles invited, and the tickets' places left.

Concerts themselves are events (made in the admin or the events API); their tickets are
ticketing's offers. This page says who plays.
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.policies import requires
from orchestra.exceptions import OrchestraError
from orchestra.models import Group
from orchestra.policies import PLAN_CONCERTS
from orchestra.selectors.masterclasses import orchestra_concerts, planned_concerts
from orchestra.services.masterclasses import plan_concert

# Concerts stay on the page this long after they were played.
KEEP_PAST = timedelta(days=60)


@requires(PLAN_CONCERTS, obj=None)
@require_safe
def concert_planning(request):
    since = timezone.now() - KEEP_PAST
    concerts = planned_concerts(orchestra_concerts().filter(end__gte=since).order_by("start", "pk"))
    return render(request, "orchestra/concerts/planning.html", {"concerts": concerts})


@requires(PLAN_CONCERTS)
@require_POST
def set_concert_groups(request, pk):
    event = PLAN_CONCERTS.get_object(request, orchestra_concerts(), pk=pk)
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
