"""Orchestra pages: master classes and the concert panel.

- the guardian's master-class page (also for a member 13+ with their own login): the
  upcoming classes each child may sign up for, with places left, sign up, cancel, the
  waitlist and taking an offered place;
- the list of master classes and each one's participants, for staff and the class's
  tutors (tutors see a first name and an initial, staff the full name);
- the panel on a concert's public page: the groups and guest ensembles that play, never
  a member.

URLs hold ids, never a child's name.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.policies import requires
from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import Member
from orchestra.policies import (
    LEAD_MASTER_CLASSES,
    MANAGE_MASTER_CLASSES,
    SIGN_UP_FOR_MASTER_CLASSES,
)
from orchestra.selectors import expected_members
from orchestra.selectors.attendance import names_as_seen_by
from orchestra.selectors.masterclasses import (
    concert_line_up,
    master_class_events,
    participants,
    upcoming_for_children,
    with_places,
)
from orchestra.services import masterclasses as services
from ticketing.policies import MANAGE_REGISTRATIONS


@requires(SIGN_UP_FOR_MASTER_CLASSES, obj=None)
@require_safe
def my_master_classes(request):
    members = SIGN_UP_FOR_MASTER_CLASSES.filter(request.user, Member.objects.all())
    return render(
        request,
        "orchestra/masterclasses/mine.html",
        {"children": upcoming_for_children(members)},
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@requires(SIGN_UP_FOR_MASTER_CLASSES, obj=None)
@require_POST
def master_class_action(request, pk, action):
    """Sign a child up (or onto the waitlist), cancel, or take an offered place."""
    member = SIGN_UP_FOR_MASTER_CLASSES.get_object(
        request, Member.objects.all(), pk=_int(request.POST.get("member"))
    )
    event = get_object_or_404(master_class_events(), pk=pk)
    try:
        if action == "sign-up":
            signed = services.sign_up(
                event=event,
                member=member,
                by=request.user,
                join_waitlist=request.POST.get("join_waitlist") == "1",
            )
            message = (
                _("%(name)s is on the waitlist.")
                if signed.waitlisted
                else _("%(name)s is signed up.")
            ) % {"name": member.first_name}
        elif action == "cancel":
            services.cancel_sign_up(event=event, member=member, by=request.user)
            message = _("The sign-up is cancelled.")
        elif action == "accept":
            services.accept_offered_place(event=event, member=member, by=request.user)
            message = _("The place is taken.")
        else:
            raise Http404
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(reverse("orchestra:my_master_classes") + f"#child-{member.pk}")


# Staff and tutors -------------------------------------------------------------------------


@requires(LEAD_MASTER_CLASSES, obj=None)
@require_safe
def master_class_list(request):
    classes = LEAD_MASTER_CLASSES.filter(request.user, master_class_events())
    since = timezone.now() - timedelta(days=60)
    return render(
        request,
        "orchestra/masterclasses/list.html",
        {"classes": with_places(classes.filter(end__gte=since).order_by("start", "pk"))},
    )


@requires(LEAD_MASTER_CLASSES)
@require_safe
def master_class_participants(request, pk):
    event = LEAD_MASTER_CLASSES.get_object(request, master_class_events(), pk=pk)
    [master_class] = with_places([event])
    signed_up = participants(event)
    names = names_as_seen_by(request.user, [row.member for row in signed_up if row.member])
    rows = [
        {"participant": row, "name": names[row.member.pk] if row.member else "—"}
        for row in signed_up
    ]
    may_manage = MANAGE_MASTER_CLASSES.admits(request.user)
    candidates = []
    if may_manage and master_class.plan is not None:
        taken = {row["participant"].member.pk for row in rows if row["participant"].member}
        candidates = [
            member for member in expected_members(master_class.plan) if member.pk not in taken
        ]
    return render(
        request,
        "orchestra/masterclasses/participants.html",
        {
            "master_class": master_class,
            "rows": rows,
            "may_manage": may_manage,
            "may_see_registrations": MANAGE_REGISTRATIONS.admits(request.user),
            "candidates": candidates,
        },
    )


@requires(MANAGE_MASTER_CLASSES)
@require_POST
def staff_action(request, pk, action):
    """Staff sign a member up (or onto the waitlist) or cancel a sign-up."""
    event = MANAGE_MASTER_CLASSES.get_object(request, master_class_events(), pk=pk)
    member = MANAGE_MASTER_CLASSES.get_object(
        request, Member.objects.all(), pk=_int(request.POST.get("member"))
    )
    try:
        if action == "sign-up":
            services.sign_up(event=event, member=member, by=request.user)
        elif action == "cancel":
            services.cancel_sign_up(event=event, member=member, by=request.user)
        else:
            raise Http404
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("orchestra:master_class_participants", pk=event.pk)


# The concert panel ------------------------------------------------------------------------


def concert_panel(request, event: Event) -> str:
    """Render the groups and guest ensembles of a concert for its public page."""
    if event.kind != Event.Kind.CONCERT:
        return ""
    line_up = concert_line_up(event)
    if not line_up.groups and not line_up.guest_ensembles:
        return ""
    return render_to_string(
        "orchestra/masterclasses/_concert_panel.html", {"line_up": line_up}, request=request
    )


urlpatterns = [
    path("foresatt/mesterklasser/", my_master_classes, name="my_master_classes"),
    path(
        "foresatt/mesterklasser/<int:pk>/<slug:action>/",
        master_class_action,
        name="master_class_action",
    ),
    path("orkester/mesterklasser/", master_class_list, name="master_classes"),
    path(
        "orkester/mesterklasser/<int:pk>/deltakere/",
        master_class_participants,
        name="master_class_participants",
    ),
    path(
        "orkester/mesterklasser/<int:pk>/<slug:action>/",
        staff_action,
        name="master_class_staff_action",
    ),
]
