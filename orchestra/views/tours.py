"""Orchestra pages for tours: the staff tour page, the printable participant list and
emergency sheet, and the guardian's page for their child's trip.

- The tour page is for staff (orchestra.policies.MANAGE_TOURS). The participant list (no
  medical notes, no emergency contacts) and the emergency sheet are for staff, and for the
  tour's leaders during the leaders' window only (LEAD_TOUR_NOW); the sheet shows a child's
  health data and contacts as SEE_CHILD_HEALTH_DATA and SEE_CHILD_CONTACTS allow.
- The guardian's page is reached by the participant's id and answers 404 to anyone but
  the player's own guardians and staff (KEEP_TRIP_DETAILS); "Trips" lists a guardian's
  children's trips. URLs hold ids, never a child's name.

Anyone else who is logged in gets a 404: a tour's existence is not told to them.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from core.policies import requires
from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentText, Member, SensitiveDataAccess, Tour, TourParticipant
from orchestra.policies import (
    ACT_FOR_CHILD,
    KEEP_TRIP_DETAILS,
    LEAD_TOUR_NOW,
    MANAGE_TOURS,
    SEE_CHILD_CONTACTS,
    SEE_CHILD_HEALTH_DATA,
    SEE_LED_TOURS,
    SEE_OWN_TRIPS,
)
from orchestra.selectors.consents import has_consent
from orchestra.selectors.members import current_consent_text
from orchestra.selectors.tours import (
    guardian_numbers,
    itinerary_of,
    tour_overview,
    tour_participants,
    tours_of_guardian,
    tours_with_details,
)
from orchestra.services import tours as tour_services
from orchestra.services.access_log import record_sensitive_access


def _tour_for_leaders(request, pk):
    """Return a tour for staff and, in their window, its own tour leaders; 404 for anyone
    else."""
    return LEAD_TOUR_NOW.get_object(request, tours_with_details(Tour.objects.all()), pk=pk)


@requires(SEE_LED_TOURS, obj=None)
@require_safe
def tour_list(request):
    """The tours: staff see all (with a link to each tour page), a tour leader theirs (the
    participant list and the emergency sheet while their access window is open)."""
    tours = SEE_LED_TOURS.filter(request.user, tours_with_details(Tour.objects.all()))
    tours = list(tours.order_by("-event__start", "pk"))
    open_ids = set(
        LEAD_TOUR_NOW.filter(
            request.user, Tour.objects.filter(pk__in=[t.pk for t in tours])
        ).values_list("pk", flat=True)
    )
    rows = [{"tour": tour, "open": tour.pk in open_ids} for tour in tours]
    return render(
        request,
        "orchestra/tours/list.html",
        {"rows": rows, "may_open_tour_pages": MANAGE_TOURS.admits(request.user)},
    )


@requires(MANAGE_TOURS)
@require_safe
def tour_page(request, pk):
    tour = MANAGE_TOURS.get_object(request, tours_with_details(Tour.objects.all()), pk=pk)
    return render(request, "orchestra/tours/tour.html", {"overview": tour_overview(tour)})


@requires(LEAD_TOUR_NOW)
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


def _allowed_members(policy, user, ids) -> set[int]:
    return set(policy.filter(user, Member.objects.filter(pk__in=ids)).values_list("pk", flat=True))


@requires(LEAD_TOUR_NOW)
@require_safe
def emergency_sheet(request, pk):
    tour = _tour_for_leaders(request, pk)
    participants = tour_participants(tour)
    children = [p.member_id for p in participants if p.member_id]
    health = _allowed_members(SEE_CHILD_HEALTH_DATA, request.user, children)
    contacts = _allowed_members(SEE_CHILD_CONTACTS, request.user, children)
    numbers = guardian_numbers(sorted(contacts))
    rows = [
        _emergency_row(p, health=health, contacts=contacts, numbers=numbers) for p in participants
    ]
    Data = SensitiveDataAccess.Data
    seen: dict[int, list[str]] = {}
    for member_id in health:
        seen.setdefault(member_id, []).extend([Data.MEDICAL_NOTES, Data.TRIP_MEDICAL_NOTES])
    for member_id in contacts:
        seen.setdefault(member_id, []).append(Data.EMERGENCY_CONTACTS)
    record_sensitive_access(
        viewer=request.user,
        seen=seen,
        path=request.path,
        channel=SensitiveDataAccess.Channel.PAGE,
    )
    return render(
        request,
        "orchestra/tours/emergency.html",
        {"tour": tour, "rows": rows, "itinerary": itinerary_of(tour), "zone": tour.time_zone},
    )


def _emergency_row(participant, *, health, contacts, numbers) -> dict:
    """One participant's row of the emergency sheet: a child's health data and contacts
    only where the policies allow them (an adult's own are theirs to give the leaders)."""
    member_id = participant.member_id
    child_health = member_id is None or member_id in health
    child_contacts = member_id is None or member_id in contacts
    return {
        "participant": participant,
        "guardians": numbers.get(member_id, []) if member_id else [],
        "emergency_contacts": participant.emergency_contacts if child_contacts else "",
        "dietary_needs": participant.dietary_needs if child_health else "",
        "trip_notes": participant.medical_notes if child_health else "",
        "member_notes": participant.member.medical_notes if member_id and child_health else "",
    }


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


@requires(KEEP_TRIP_DETAILS)
@require_http_methods(["GET", "HEAD", "POST"])
def trip_details(request, pk):
    """The guardian's page for a child's trip: travel consent and trip details."""
    participant = KEEP_TRIP_DETAILS.get_object(
        request,
        TourParticipant.objects.filter(role=TourParticipant.Role.PLAYER).select_related(
            "member", "tour__event"
        ),
        pk=pk,
    )
    # Staff keep the details; only the child's guardians give the travel consent.
    own_child = ACT_FOR_CHILD.allows(request.user, participant.member)
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


@requires(SEE_OWN_TRIPS, obj=None)
@require_safe
def my_trips(request):
    """The guardian's list of their children's trips, each linking to its trip page."""
    trips = list(tours_of_guardian(request.user).order_by("tour__event__start", "pk"))
    return render(request, "orchestra/tours/my_trips.html", {"trips": trips})


def tour_panel(request, event) -> str:
    """Links from a tour's event page to its staff page and printable lists, for staff and
    the tour's own leaders (the lists only while they may read them)."""
    if event.kind != Event.Kind.TOUR or not SEE_LED_TOURS.admits(request.user):
        return ""
    tour = Tour.objects.filter(event=event).first()
    if tour is None or not SEE_LED_TOURS.allows(request.user, tour):
        return ""
    return render_to_string(
        "orchestra/tours/_event_panel.html",
        {
            "tour": tour,
            "may_open_tour_page": MANAGE_TOURS.admits(request.user),
            "open": LEAD_TOUR_NOW.allows(request.user, tour),
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
