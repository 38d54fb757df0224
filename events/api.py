"""The REST API of the events core under /api/v1/: serializers and viewsets.

Anyone may read public data; project leaders (and superusers) may write. Each viewset
declares its policies (events.policies), which core.permissions.PolicyPermission reads.
Writes are validated by the model's ``full_clean()``, so the API keeps the same rules as
the admin and the importer.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import (
    FIELD_ERRORS,
    ErrorSerializer,
    FullCleanModelSerializer,
    InputOutputViewSet,
    absolute_url,
    documented_writes,
)
from events.filters import (
    EventFilter,
    MunicipalityFilter,
    PeriodFilter,
    ProgrammeFilter,
    VenueFilter,
)
from events.models import Event, Municipality, Period, Programme, Venue
from events.notices import changes_by
from events.policies import MANAGE_EVENTS, SEE_EVENT, SEE_PUBLIC_PAGES
from events.selectors import events_visible_to
from events.services import cancel_event, reinstate_event

# Coordinates are numbers in JSON, not the strings DRF gives decimals by default.
COORDINATE_KWARGS = {"coerce_to_string": False}


class MunicipalitySerializer(FullCleanModelSerializer):
    """A municipality as it was between two dates (open ends: no limit)."""

    class Meta(FullCleanModelSerializer.Meta):
        model = Municipality
        fields = ["id", "name", "number", "county", "valid_from", "valid_to"]


class MunicipalitySummarySerializer(serializers.ModelSerializer):
    """The municipality of a venue."""

    class Meta:
        model = Municipality
        fields = ["id", "name", "number", "county"]
        read_only_fields = fields


class VenueSerializer(serializers.ModelSerializer):
    """A venue as the API shows it, with its municipality and pages."""

    municipality = MunicipalitySummarySerializer(read_only=True)
    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "address",
            "postcode",
            "place",
            "municipality",
            "latitude",
            "longitude",
            "capacity",
            "accessibility",
            "description",
            "url",
            "calendar_url",
        ]
        read_only_fields = fields
        extra_kwargs = {"latitude": COORDINATE_KWARGS, "longitude": COORDINATE_KWARGS}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, venue: Venue) -> str:
        return absolute_url(self.context, venue.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, venue: Venue) -> str:
        return absolute_url(self.context, reverse("events:venue_feed", args=[venue.pk]))


class VenueInputSerializer(FullCleanModelSerializer):
    """A venue as a project leader creates or changes it; the municipality by id."""

    class Meta(FullCleanModelSerializer.Meta):
        model = Venue
        fields = [
            "name",
            "address",
            "postcode",
            "place",
            "municipality",
            "latitude",
            "longitude",
            "capacity",
            "accessibility",
            "description",
        ]
        extra_kwargs = {"latitude": COORDINATE_KWARGS, "longitude": COORDINATE_KWARGS}


class ProgrammeSerializer(FullCleanModelSerializer):
    """A programme, with its page and calendar feed."""

    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta(FullCleanModelSerializer.Meta):
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "description_nb",
            "description_en",
            "url",
            "calendar_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, programme: Programme) -> str:
        return absolute_url(self.context, programme.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, programme: Programme) -> str:
        return absolute_url(self.context, reverse("events:programme_feed", args=[programme.slug]))


class PeriodSerializer(FullCleanModelSerializer):
    """An edition or season of a programme, which is given by its slug."""

    programme = serializers.SlugRelatedField(slug_field="slug", queryset=Programme.objects.all())

    class Meta(FullCleanModelSerializer.Meta):
        model = Period
        fields = ["id", "programme", "slug", "name", "start", "end"]


class PeriodSummarySerializer(serializers.ModelSerializer):
    """The edition or season of an event, with its programme's slug."""

    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "slug", "name", "programme"]
        read_only_fields = fields


class VenueSummarySerializer(serializers.ModelSerializer):
    """The venue of an event, with the name of its municipality."""

    municipality = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "address",
            "postcode",
            "place",
            "municipality",
            "latitude",
            "longitude",
        ]
        read_only_fields = fields
        extra_kwargs = {"latitude": COORDINATE_KWARGS, "longitude": COORDINATE_KWARGS}


class EventSerializer(serializers.ModelSerializer):
    """An event as the API shows it: times in ISO 8601 with their UTC offset."""

    period = PeriodSummarySerializer(read_only=True)
    venue = VenueSummarySerializer(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "uid",
            "revision",
            "kind",
            "title_nb",
            "title_en",
            "description_nb",
            "description_en",
            "period",
            "parent",
            "venue",
            "start",
            "end",
            "status",
            "visibility",
            "url",
            "ics_url",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event: Event) -> str:
        return absolute_url(self.context, event.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, event: Event) -> str:
        return absolute_url(self.context, reverse("events:event_ics", args=[event.pk]))


class EventInputSerializer(FullCleanModelSerializer):
    """An event as a project leader creates or changes it.

    The status changes only through the cancel and reinstate actions, so that
    cancelling an event also cancels its sessions.
    """

    class Meta(FullCleanModelSerializer.Meta):
        model = Event
        fields = [
            "period",
            "parent",
            "kind",
            "title_nb",
            "title_en",
            "description_nb",
            "description_en",
            "venue",
            "start",
            "end",
            "visibility",
            "notify",
        ]

    notify = serializers.BooleanField(
        default=True,
        write_only=True,
        help_text=_(
            "Tell everyone concerned of a changed time or place (false: a typo corrected, "
            "nobody is told; calendar feeds still update)."
        ),
    )


class CancelInputSerializer(serializers.Serializer):
    """Options for cancelling an event."""

    cascade = serializers.BooleanField(
        default=True, help_text=_("Cancel the sessions of the event as well.")
    )
    notify = serializers.BooleanField(
        default=True, help_text=_("Tell everyone concerned (false: nobody is told).")
    )


# Views ---------------------------------------------------------------------


class EventsCoreViewSet(InputOutputViewSet):
    """A model viewset of the events core whose writes answer with the output serializer.

    Each subclass declares its ``policies`` (core.permissions.PolicyPermission).
    """


@documented_writes(
    input_serializer=MunicipalitySerializer, output_serializer=MunicipalitySerializer
)
class MunicipalityViewSet(EventsCoreViewSet):
    """Municipalities, each as it was between two dates. Project leaders may change them."""

    policies = {"read": SEE_PUBLIC_PAGES, "write": MANAGE_EVENTS}

    queryset = Municipality.objects.order_by("name", "-valid_from", "pk")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter


@documented_writes(input_serializer=VenueInputSerializer, output_serializer=VenueSerializer)
class VenueViewSet(EventsCoreViewSet):
    """Venues where events take place. Project leaders may change them."""

    policies = {"read": SEE_PUBLIC_PAGES, "write": MANAGE_EVENTS}

    queryset = Venue.objects.select_related("municipality").order_by("name", "pk")
    serializer_class = VenueSerializer
    input_serializer_class = VenueInputSerializer
    filterset_class = VenueFilter


@documented_writes(input_serializer=ProgrammeSerializer, output_serializer=ProgrammeSerializer)
class ProgrammeViewSet(EventsCoreViewSet):
    """Programmes such as the art round or the youth orchestra. Project leaders may change them."""

    policies = {"read": SEE_PUBLIC_PAGES, "write": MANAGE_EVENTS}

    queryset = Programme.objects.order_by("name", "pk")
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter


@documented_writes(input_serializer=PeriodSerializer, output_serializer=PeriodSerializer)
class PeriodViewSet(EventsCoreViewSet):
    """Editions and seasons of the programmes. Project leaders may change them."""

    policies = {"read": SEE_PUBLIC_PAGES, "write": MANAGE_EVENTS}

    queryset = Period.objects.select_related("programme").order_by(
        "programme__name", "-start", "pk"
    )
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter


@documented_writes(input_serializer=EventInputSerializer, output_serializer=EventSerializer)
class EventViewSet(EventsCoreViewSet):
    """Events a user may see: the public sees public events; project leaders see and change all."""

    policies = {"read": SEE_EVENT, "write": MANAGE_EVENTS}
    queryset = Event.objects.none()
    serializer_class = EventSerializer
    input_serializer_class = EventInputSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return events_visible_to(self.request.user).order_by("start", "pk")

    def perform_create(self, serializer):
        serializer.validated_data.pop("notify", None)
        serializer.save()

    def perform_update(self, serializer):
        # A changed time, place or status is told to everyone concerned (events.notices).
        notify = serializer.validated_data.pop("notify", True)
        with changes_by(self.request.user, quiet=not notify):
            serializer.save()

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: EventSerializer, 400: FIELD_ERRORS},
        summary=_("Cancel an event"),
        description=_(
            "Cancel the event (and by default its sessions). It keeps its UID and its "
            "revision grows, so that calendar subscribers see the cancellation."
        ),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        options = CancelInputSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        with changes_by(request.user, quiet=not options.validated_data["notify"]):
            event = cancel_event(event=self.get_object(), cascade=options.validated_data["cascade"])
        return Response(self.output(event))

    @extend_schema(
        request=None,
        responses={200: EventSerializer, 400: ErrorSerializer},
        summary=_("Reinstate a cancelled event"),
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        with changes_by(request.user):
            event = reinstate_event(event=self.get_object())
        return Response(self.output(event))


def register(router):
    """Register this app's API routes."""
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("venues", VenueViewSet, basename="venue")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("periods", PeriodViewSet, basename="period")
    router.register("events", EventViewSet, basename="event")
