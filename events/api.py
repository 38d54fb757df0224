"""The REST API of the events core under /api/v1/: serializers and viewsets.

Anyone may read public data; project leaders (and superusers) may write. The
permission class in events.permissions reads ``read_role``/``write_role`` from
each viewset. Writes are validated by the model's ``full_clean()``, so the API
keeps the same rules as the admin and the importer.
"""

import copy

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, views, viewsets
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings

from events.exceptions import DomainRuleError
from events.filters import (
    EventFilter,
    MunicipalityFilter,
    PeriodFilter,
    ProgrammeFilter,
    VenueFilter,
)
from events.json_input import too_large_message
from events.models import Event, Municipality, Period, Programme, Venue
from events.roles import Role
from events.selectors import events_visible_to
from events.services import cancel_event, reinstate_event

# Serializers ---------------------------------------------------------------


def absolute_url(context: dict, path: str) -> str:
    """Return the absolute address of a path, from the request when there is one."""
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """Return a model's validation error as the API's field errors (non_field_errors too)."""
    errors = get_error_detail(exc)
    if isinstance(errors, dict) and NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return serializers.ValidationError(errors)


def exception_handler(exc, context):
    """Turn the domain's errors into API answers, for every view, in one place.

    A broken domain rule (any app's DomainRuleError) is a 400 with its message; a model's
    ValidationError is a 400 with field errors; deleting a record others still refer to
    is a 409. Every error body is an object, as the schema's ``Error`` says: messages about
    the input as a whole come under non_field_errors, never as a bare list. A request body
    over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400, as a JSON body too large or too deeply nested
    is (events.json_input).
    """
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(too_large_message())
    elif isinstance(exc, DomainRuleError):
        exc = DomainError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = field_errors(exc)
    elif isinstance(exc, ProtectedError):
        exc = Conflict()
    response = views.exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


class FullCleanModelSerializer(serializers.ModelSerializer):
    """A model serializer whose input passes the model's ``full_clean()``.

    Model rules (end before start, a session of a session, latitude without
    longitude, unique constraints) come back as field errors, never as a 500.
    """

    class Meta:
        # Unique constraints are checked by full_clean(), with the model's messages.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # Check a copy, so that a rejected update leaves the instance untouched.
        candidate = copy.copy(self.instance) if self.instance else self.Meta.model()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return attrs


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
        ]


class CancelInputSerializer(serializers.Serializer):
    """Options for cancelling an event."""

    cascade = serializers.BooleanField(
        default=True, help_text=_("Cancel the sessions of the event as well.")
    )


class ErrorSerializer(serializers.Serializer):
    """The body of an error answer (documentation only)."""

    detail = serializers.CharField()


# Views ---------------------------------------------------------------------


class DomainError(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still in use by other records and cannot be deleted.")
    default_code = "protected"


FIELD_ERRORS = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "The input is invalid: an object of field names (or non_field_errors) to lists of messages."
    ),
)


def documented_writes(*, input_serializer, output_serializer):
    """Document that writes take one serializer and answer with another."""

    def write(status_code):
        return extend_schema(
            request=input_serializer,
            responses={status_code: output_serializer, 400: FIELD_ERRORS},
        )

    return extend_schema_view(
        create=write(201),
        update=write(200),
        partial_update=write(200),
        destroy=extend_schema(responses={204: None, 409: ErrorSerializer}),
    )


class EventsCoreViewSet(viewsets.ModelViewSet):
    """Read for anyone, write for project leaders; writes answer with the output serializer.

    Domain errors become API errors in events.api.exception_handler, for every view.
    """

    read_role = None
    write_role = Role.PROJECT_LEADER
    # The serializer that validates writes; None: the serializer_class does both.
    input_serializer_class = None

    def get_serializer_class(self):
        if self.input_serializer_class and self.action in ("create", "update", "partial_update"):
            return self.input_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self.output(instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self.output(instance))

    def output(self, instance) -> dict:
        """Return the output representation, read again with its related rows joined."""
        instance = self.get_queryset().get(pk=instance.pk)
        return self.serializer_class(instance, context=self.get_serializer_context()).data


@documented_writes(
    input_serializer=MunicipalitySerializer, output_serializer=MunicipalitySerializer
)
class MunicipalityViewSet(EventsCoreViewSet):
    """Municipalities, each as it was between two dates. Project leaders may change them."""

    queryset = Municipality.objects.order_by("name", "-valid_from", "pk")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter


@documented_writes(input_serializer=VenueInputSerializer, output_serializer=VenueSerializer)
class VenueViewSet(EventsCoreViewSet):
    """Venues where events take place. Project leaders may change them."""

    queryset = Venue.objects.select_related("municipality").order_by("name", "pk")
    serializer_class = VenueSerializer
    input_serializer_class = VenueInputSerializer
    filterset_class = VenueFilter


@documented_writes(input_serializer=ProgrammeSerializer, output_serializer=ProgrammeSerializer)
class ProgrammeViewSet(EventsCoreViewSet):
    """Programmes such as the art round or the youth orchestra. Project leaders may change them."""

    queryset = Programme.objects.order_by("name", "pk")
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter


@documented_writes(input_serializer=PeriodSerializer, output_serializer=PeriodSerializer)
class PeriodViewSet(EventsCoreViewSet):
    """Editions and seasons of the programmes. Project leaders may change them."""

    queryset = Period.objects.select_related("programme").order_by(
        "programme__name", "-start", "pk"
    )
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter


@documented_writes(input_serializer=EventInputSerializer, output_serializer=EventSerializer)
class EventViewSet(EventsCoreViewSet):
    """Events a user may see: the public sees public events; project leaders see and change all."""

    queryset = Event.objects.none()
    serializer_class = EventSerializer
    input_serializer_class = EventInputSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return events_visible_to(self.request.user).order_by("start", "pk")

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
        event = cancel_event(event=self.get_object(), cascade=options.validated_data["cascade"])
        return Response(self.output(event))

    @extend_schema(
        request=None,
        responses={200: EventSerializer, 400: ErrorSerializer},
        summary=_("Reinstate a cancelled event"),
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        event = reinstate_event(event=self.get_object())
        return Response(self.output(event))


def register(router):
    """Register this app's API routes."""
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("venues", VenueViewSet, basename="venue")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("periods", PeriodViewSet, basename="period")
    router.register("events", EventViewSet, basename="event")
