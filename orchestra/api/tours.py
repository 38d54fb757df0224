"""Orchestra API: tours, their participants and costs.

- /api/v1/tours/: staff see and change all; a tour leader reads the tours they lead; a
  guardian or a member with their own login the tours they (or their children) go on.
  Budget, costs and notes are for staff only.
- /api/v1/tour-participants/: staff see and change all; a tour leader reads the
  participants of their tours during the leaders' window only (a week before the first
  day to the last, orchestra.selectors.tours.tours_open_to_leader); a guardian their own
  children's; a member themself.
  Emergency contacts, dietary needs and medical notes are in the answer only for staff,
  the tour's leaders during the tour period (a week before its first day to its last),
  and the child's own guardians. Guardians fill them in with ``trip-details``.
- /api/v1/tour-costs/: staff only.

Anyone else gets an empty list and 404 for one record. URLs hold ids, never names.
"""

from decimal import Decimal

import django_filters
from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import FIELD_ERRORS, FullCleanModelSerializer, InputOutputViewSet, documented_writes
from core.audit_api import AuditedWritesMixin
from events.filters import IdFilter
from events.models import Event
from orchestra.api.base import STAFF_ONLY, LogsSensitiveAccess, OrchestraViewSet, seen_sensitive
from orchestra.models import Member, SensitiveDataAccess, Tour, TourCost, TourParticipant
from orchestra.policies import CHANGE_TOURS, SEE_TOUR, SEE_TOUR_PARTICIPANTS
from orchestra.selectors.tours import (
    checklist_of,
    participants_with_details,
    restricted_access,
    tours_with_details,
    travel_consented_member_ids,
)
from orchestra.services import tours as tour_services

RESTRICTED = _(
    "Staff, the tour's leaders during the tour period and the child's guardians only: "
    "absent for anyone else."
)


MONEY = DecimalField(max_digits=14, decimal_places=2)
STAFF_FIELDS = ("budget", "notes", "actual_costs", "overrun")


class TourInputSerializer(FullCleanModelSerializer):
    """A tour as staff write it: its event (of kind tour; its child events are the
    itinerary), destination, time zone (IANA name), budget (NOK) and notes."""

    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.filter(kind=Event.Kind.TOUR),
        help_text=_("The tour's event (of kind tour), by id."),
    )

    class Meta(FullCleanModelSerializer.Meta):
        model = Tour
        fields = ["id", "event", "destination", "time_zone", "budget", "notes"]


class TourSerializer(serializers.ModelSerializer):
    """A tour, with its first and last day in the destination's time zone.

    ``budget``, ``notes``, ``actual_costs`` and ``overrun`` are in the answer for staff
    only; the schema marks them optional for that reason.
    """

    title = serializers.CharField(source="event.title")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text=STAFF_ONLY
    )
    notes = serializers.CharField(required=False, help_text=STAFF_ONLY)
    actual_costs = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("The sum of the tour's costs (NOK). Staff only."),
    )
    overrun = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("How much the costs exceed the budget (NOK); 0 when they do not. Staff only."),
    )

    class Meta:
        model = Tour
        fields = [
            "id",
            "event",
            "title",
            "destination",
            "time_zone",
            "first_day",
            "last_day",
            "budget",
            "notes",
            "actual_costs",
            "overrun",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            for name in STAFF_FIELDS:
                data.pop(name, None)
        return data


def tours_with_costs(queryset):
    """Annotate each tour's actual costs and overrun, in the same query."""
    actual = Coalesce(Sum("costs__amount"), Value(Decimal("0")), output_field=MONEY)
    return queryset.annotate(actual_costs=actual).annotate(
        overrun=Greatest(
            ExpressionWrapper(F("actual_costs") - F("budget"), output_field=MONEY),
            Value(Decimal("0")),
            output_field=MONEY,
        )
    )


class TourFilter(django_filters.FilterSet):
    event = IdFilter(label=_("Event (id)"), field_name="event_id")

    class Meta:
        model = Tour
        fields = ["event"]


@documented_writes(input_serializer=TourInputSerializer, output_serializer=TourSerializer)
class TourViewSet(OrchestraViewSet, InputOutputViewSet):
    """Tours of the orchestra. Staff see and change all; tour leaders, guardians and
    members read the tours they take part in, without budget and costs."""

    queryset = Tour.objects.none()
    serializer_class = TourSerializer
    input_serializer_class = TourInputSerializer
    filterset_class = TourFilter
    policies = {"read": SEE_TOUR, "write": CHANGE_TOURS}

    def get_queryset(self):
        visible = tours_with_details(self.reachable(Tour.objects.all()))
        return tours_with_costs(visible).order_by("-event__start", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["staff"] = CHANGE_TOURS.admits(self.request.user)
        return context


RESTRICTED_FIELDS = ("emergency_contacts", "dietary_needs", "medical_notes")


class TourParticipantSerializer(FullCleanModelSerializer):
    """A participant of a tour in a role: a member (players) or an adult by name, with
    their checklist and what is missing from it.

    ``emergency_contacts``, ``dietary_needs`` and ``medical_notes`` are in the answer only
    for those who may read them; the schema marks them optional for that reason.
    """

    tour = serializers.PrimaryKeyRelatedField(queryset=Tour.objects.all())
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.filter(anonymised_at__isnull=True),
        allow_null=True,
        required=False,
        help_text=_("The member (players only), by id."),
    )
    display_name = serializers.CharField(read_only=True)
    travel_consent = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    emergency_contacts = serializers.CharField(
        required=False, allow_blank=True, help_text=RESTRICTED
    )
    dietary_needs = serializers.CharField(required=False, allow_blank=True, help_text=RESTRICTED)
    medical_notes = serializers.CharField(required=False, allow_blank=True, help_text=RESTRICTED)

    class Meta(FullCleanModelSerializer.Meta):
        model = TourParticipant
        fields = [
            "id",
            "tour",
            "role",
            "member",
            "display_name",
            "name",
            "email",
            "phone",
            "birth_date",
            "user",
            "passport_valid_until",
            "ehic",
            "share_paid",
            "share_amount",
            "police_certificate_seen_on",
            "travel_consent",
            "missing",
            "emergency_contacts",
            "dietary_needs",
            "medical_notes",
        ]

    def _consented(self, participant) -> set[int]:
        cache = self.context.setdefault("consented", {})
        if participant.tour_id not in cache:
            cache[participant.tour_id] = travel_consented_member_ids(participant.tour)
        return cache[participant.tour_id]

    def get_travel_consent(self, participant) -> bool | None:
        """True when a guardian has given the travel consent; null for adults."""
        if participant.member_id is None:
            return None
        return participant.member_id in self._consented(participant)

    def get_missing(self, participant) -> list[str]:
        """What the participant's checklist still lacks, in words."""
        checklist = checklist_of(
            participant, participant.tour, consented=self._consented(participant)
        )
        return [str(item) for item in checklist.missing]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        may_read = self.context.get("may_read_restricted")
        if may_read is None or not may_read(instance):
            for name in RESTRICTED_FIELDS:
                data.pop(name, None)
        else:
            seen_sensitive(
                self.context,
                instance.member_id,
                SensitiveDataAccess.Data.TRIP_MEDICAL_NOTES,
                SensitiveDataAccess.Data.EMERGENCY_CONTACTS,
            )
        return data


class TripDetailsSerializer(serializers.Serializer):
    """What a guardian fills in for their child's trip."""

    emergency_contacts = serializers.CharField(allow_blank=True, required=False)
    dietary_needs = serializers.CharField(allow_blank=True, required=False)
    medical_notes = serializers.CharField(allow_blank=True, required=False)


class TourParticipantFilter(django_filters.FilterSet):
    tour = IdFilter(label=_("Tour (id)"), field_name="tour_id")

    class Meta:
        model = TourParticipant
        fields = ["tour", "role"]


@documented_writes(
    input_serializer=TourParticipantSerializer, output_serializer=TourParticipantSerializer
)
class TourParticipantViewSet(
    AuditedWritesMixin, LogsSensitiveAccess, OrchestraViewSet, InputOutputViewSet
):
    """Participants of tours. Staff see and change all; a tour leader reads their tours'
    participants from a week before the tour to its last day; a guardian reads their own
    children's and fills in their trip details."""

    queryset = TourParticipant.objects.none()
    serializer_class = TourParticipantSerializer
    filterset_class = TourParticipantFilter
    # A guardian (or staff) fills in a player's trip details; the service checks whose.
    policies = {
        "read": SEE_TOUR_PARTICIPANTS,
        "trip_details": SEE_TOUR_PARTICIPANTS,
        "write": CHANGE_TOURS,
    }

    def get_queryset(self):
        visible = self.reachable(TourParticipant.objects.all())
        return participants_with_details(visible).order_by("tour", "role", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["may_read_restricted"] = restricted_access(self.request.user)
        context["consented"] = {}
        return context

    @extend_schema(
        request=TripDetailsSerializer,
        responses={200: TourParticipantSerializer, 400: FIELD_ERRORS},
        summary=_("Fill in a player's trip details"),
        description=_(
            "A guardian of the player (or staff) saves emergency contacts, dietary needs "
            "and medical notes for the trip."
        ),
    )
    @action(detail=True, methods=["post"], url_path="trip-details")
    def trip_details(self, request, pk=None):
        participant = self.get_object()
        data = TripDetailsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tour_services.update_trip_details(
            participant=participant, by=request.user, **data.validated_data
        )
        return Response(self.output(participant))


class TourCostSerializer(FullCleanModelSerializer):
    """An actual cost of a tour, in NOK."""

    tour = serializers.PrimaryKeyRelatedField(queryset=Tour.objects.all())

    class Meta(FullCleanModelSerializer.Meta):
        model = TourCost
        fields = ["id", "tour", "description", "amount", "paid_on", "category"]


class TourCostFilter(django_filters.FilterSet):
    tour = IdFilter(label=_("Tour (id)"), field_name="tour_id")

    class Meta:
        model = TourCost
        fields = ["tour", "category"]


@documented_writes(input_serializer=TourCostSerializer, output_serializer=TourCostSerializer)
class TourCostViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """The actual costs of tours: staff only."""

    policy = CHANGE_TOURS
    queryset = TourCost.objects.order_by("tour", "paid_on", "pk")
    serializer_class = TourCostSerializer
    filterset_class = TourCostFilter


def register(router):
    """Register the tour routes."""
    router.register("tours", TourViewSet, basename="tour")
    router.register("tour-participants", TourParticipantViewSet, basename="tour-participant")
    router.register("tour-costs", TourCostViewSet, basename="tour-cost")
