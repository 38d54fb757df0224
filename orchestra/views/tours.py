"""Orchestra pages for tours: the staff tour page, the printable participant list and
emergency sheet, and the guardian's page for their child's trip.

- The tour page is for staff. The participant list (no medical notes, no emergency
  contacts) and the emergency sheet are for staff, and for the tour's leaders during the
  leaders' window only (orchestra.selectors.tours.tours_open_to_leader).
- The guardian's page is reached by the participant's id and answers 404 to anyone but
  the player's own guardians and staff; "Trips" lists a guardian's children's trips.
  URLs hold ids, never a child's name.

Anyone else who is logged in gets a 404: a tour's existence is not told to them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentText, SensitiveDataAccess, Tour, TourParticipant
from orchestra.selectors import is_orchestra_staff
from orchestra.selectors.consents import has_consent
from orchestra.selectors.members import current_consent_text
from orchestra.selectors.tours import (
    guardian_numbers,
    itinerary_of,
    may_see_restricted,
    participants_visible_to,
    tour_overview,
    tour_participants,
    tours_led_by,
    tours_of_guardian,
    tours_open_to_leader,
    tours_with_details,
)
from orchestra.services import tours as tour_services
from orchestra.services.access_log import record_sensitive_access


def _tour_for_staff(request, pk):
    if not is_orchestra_staff(request.user):
        raise Http404
    return get_object_or_404(tours_with_details(Tour.objects.all()), pk=pk)


def _tour_for_leaders(request, pk):
    """Return a tour for staff and, in their window, its own tour leaders; 404 for anyone
    else."""
    if is_orchestra_staff(request.user):
        queryset = Tour.objects.all()
    else:
        queryset = tours_open_to_leader(request.user)
    return get_object_or_404(tours_with_details(queryset), pk=pk)


@login_required
@require_safe
def tour_list(request):
    """The tours: staff see all (with a link to each tour page), a tour leader theirs (the
    participant list and the emergency sheet while their access window is open)."""
    staff = is_orchestra_staff(request.user)
    tours = Tour.objects.all() if staff else tours_led_by(request.user)
    tours = list(tours_with_details(tours).order_by("-event__start", "pk"))
    if not staff and not tours:
        raise Http404
    open_ids = (
        set() if staff else set(tours_open_to_leader(request.user).values_list("pk", flat=True))
    )
    rows = [{"tour": tour, "open": staff or tour.pk in open_ids} for tour in tours]
    return render(request, "orchestra/tours/list.html", {"rows": rows, "staff": staff})


@login_required
@require_safe
def tour_page(request, pk):
    tour = _tour_for_staff(request, pk)
    return render(request, "orchestra/tours/tour.html", {"overview": tour_overview(tour)})


@login_required
@require_safe
def participant_list(request, pk):
    tour = _tour_for_leaders(request, pk)
    return render(
        request,
        "orchestra/tours/participants.html",
        {
            "tour": tour,
            "participants": tour_participants(tour),
            "itinerary": itinerary_of(tour),
            "zone": tour.time_zone,
        },
    )


@login_required
@require_safe
def emergency_sheet(request, pk):
    tour = _tour_for_leaders(request, pk)
    participants = tour_participants(tour)
    numbers = guardian_numbers([p.member_id for p in participants if p.member_id])
    rows = [
        {
            "participant": p,
            "guardians": numbers.get(p.member_id, []),
            "member_notes": p.member.medical_notes if p.member_id else "",
        }
        for p in participants
    ]
    Data = SensitiveDataAccess.Data
    record_sensitive_access(
        viewer=request.user,
        seen={
            p.member_id: (Data.MEDICAL_NOTES, Data.TRIP_MEDICAL_NOTES, Data.EMERGENCY_CONTACTS)
            for p in participants
            if p.member_id
        },
        path=request.path,
        channel=SensitiveDataAccess.Channel.PAGE,
    )
    return render(
        request,
        "orchestra/tours/emergency.html",
        {"tour": tour, "rows": rows, "itinerary": itinerary_of(tour), "zone": tour.time_zone},
    )


class TripDetailsForm(forms.Form):
    emergency_contacts = forms.CharField(
        label=gettext_lazy("Emergency contacts during the trip"),
        help_text=gettext_lazy("Names and phone numbers of who to call, besides the guardians."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dietary_needs = forms.CharField(
        label=gettext_lazy("Dietary needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    medical_notes = forms.CharField(
        label=gettext_lazy("Medical notes for the trip"),
        help_text=gettext_lazy(
            "Seen by staff, and by the tour leaders from a week before the trip to its end."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    travel_consent = forms.BooleanField(
        label=gettext_lazy("I consent to the travel consent text above."), required=False
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def trip_details(request, pk):
    """The guardian's page for a child's trip: travel consent and trip details."""
    participant = get_object_or_404(
        participants_visible_to(request.user)
        .filter(role=TourParticipant.Role.PLAYER)
        .select_related("member", "tour__event"),
        pk=pk,
    )
    staff = is_orchestra_staff(request.user)
    own_child = participant.member.guardianships.filter(guardian__user=request.user).exists()
    if not (own_child or staff):
        raise Http404
    text = current_consent_text(ConsentText.Kind.TRAVEL)
    consented = has_consent(participant.member, ConsentText.Kind.TRAVEL)
    if request.method == "POST":
        form = TripDetailsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tour_services.update_trip_details(
                    participant=participant,
                    by=request.user,
                    emergency_contacts=data["emergency_contacts"],
                    dietary_needs=data["dietary_needs"],
                    medical_notes=data["medical_notes"],
                )
                if data["travel_consent"] and not consented and own_child:
                    tour_services.give_travel_consent(participant=participant, by=request.user)
            except OrchestraError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved. Thank you."))
                return redirect("orchestra:tour_trip_details", pk=participant.pk)
    else:
        form = TripDetailsForm(
            initial={
                "emergency_contacts": participant.emergency_contacts,
                "dietary_needs": participant.dietary_needs,
                "medical_notes": participant.medical_notes,
            }
        )
    record_sensitive_access(
        viewer=request.user,
        seen={
            participant.member_id: (
                SensitiveDataAccess.Data.TRIP_MEDICAL_NOTES,
                SensitiveDataAccess.Data.EMERGENCY_CONTACTS,
            )
        },
        path=request.path,
        channel=SensitiveDataAccess.Channel.PAGE,
    )
    return render(
        request,
        "orchestra/tours/trip_details.html",
        {
            "participant": participant,
            "tour": participant.tour,
            "form": form,
            "text": text,
            "consented": consented,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_safe
def my_trips(request):
    """The guardian's list of their children's trips, each linking to its trip page."""
    trips = list(tours_of_guardian(request.user).order_by("tour__event__start", "pk"))
    return render(request, "orchestra/tours/my_trips.html", {"trips": trips})


def tour_panel(request, event) -> str:
    """Links from a tour's event page to its staff page and printable lists, for staff and
    the tour's own leaders (the lists only while they may read them)."""
    if event.kind != Event.Kind.TOUR or not request.user.is_authenticated:
        return ""
    tour = Tour.objects.filter(event=event).first()
    if tour is None:
        return ""
    staff = is_orchestra_staff(request.user)
    if not staff and not tours_led_by(request.user).filter(pk=tour.pk).exists():
        return ""
    return render_to_string(
        "orchestra/tours/_event_panel.html",
        {
            "tour": tour,
            "staff": staff,
            "open": staff or may_see_restricted(request.user, tour),
        },
        request=request,
    )


urlpatterns = [
    path("foresatt/turer/", my_trips, name="my_trips"),
    path("orkester/turne/", tour_list, name="tours"),
    path("orkester/turne/<int:pk>/", tour_page, name="tour"),
    path("orkester/turne/<int:pk>/deltakere/", participant_list, name="tour_participants"),
    path("orkester/turne/<int:pk>/nodark/", emergency_sheet, name="tour_emergency"),
    path("foresatt/tur/<int:pk>/", trip_details, name="tour_trip_details"),
]
