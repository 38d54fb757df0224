"""API of Kunst rett vest, part 2: exhibitions, the exhibited works and the open studios.

Anyone reads what is public: exhibitions with their hours, the works, the studios with
their address, coordinates and opening hours, and the studios of an edition as GeoJSON.
An artist registers and changes their own work and studio (and its hours); staff change
any. Writes go through the services in artists.services.exhibitions and .studios.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from artists.api.base import ArtistsViewSet, acting_artist
from artists.forms.studios import StudioFilterForm
from artists.models import Artist, Exhibition, Studio, Work
from artists.policies import CHANGE_ARTIST_RECORDS, MANAGE_EXHIBITIONS, SEE_PLACE
from artists.selectors.studios import (
    exhibitions,
    filter_studios,
    published_studios,
    studio_municipalities,
    studios_with_details,
    works,
)
from artists.services import exhibitions as work_services
from artists.services import studios as studio_services
from artists.weekends import open_studio_days
from core.api import (
    FIELD_ERRORS,
    ErrorSerializer,
    FullCleanModelSerializer,
    MultiPartParser,
    absolute_url,
)
from core.json_input import JSONParser
from core.policies import PUBLIC
from events.api import COORDINATE_KWARGS, EventsCoreViewSet, MunicipalitySummarySerializer
from events.filters import IdFilter
from events.models import Municipality, Period, Programme, Venue

# Serializers ----------------------------------------------------------------------------


# A local wall-clock time such as "11:00:00". The schema's format "time" would promise
# RFC 3339's time with a UTC offset, which these answers do not carry.
@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
        "example": "11:00:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day in Europe/Oslo, without an offset."""


class ClosedDaySerializer(serializers.Serializer):
    """The day a studio closes on (the query of DELETE .../hours/)."""

    date = serializers.DateField()


class HoursSerializer(serializers.Serializer):
    """When a venue is open on one day (local time, Europe/Oslo)."""

    date = serializers.DateField()
    opens = LocalTimeField()
    closes = LocalTimeField()


class ArtistLinkSerializer(serializers.ModelSerializer):
    """An artist's name and public page."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Artist
        fields = ["id", "name", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, artist) -> str:
        return absolute_url(self.context, artist.get_absolute_url())


class ExhibitionSerializer(serializers.ModelSerializer):
    """An exhibition of an edition: its event, venue, municipalities and opening hours."""

    edition = serializers.IntegerField(source="event.period_id", read_only=True)
    title = serializers.CharField(source="event.title", read_only=True)
    start = serializers.DateTimeField(source="event.start", read_only=True)
    end = serializers.DateTimeField(source="event.end", read_only=True)
    venue = serializers.CharField(source="event.venue.full_address", default="", read_only=True)
    host_municipality = MunicipalitySummarySerializer(read_only=True, allow_null=True)
    organising_municipalities = MunicipalitySummarySerializer(many=True, read_only=True)
    hours = HoursSerializer(many=True, read_only=True)

    class Meta:
        model = Exhibition
        fields = [
            "id",
            "event",
            "edition",
            "role",
            "title",
            "start",
            "end",
            "venue",
            "host_municipality",
            "organising_municipalities",
            "hours",
        ]
        read_only_fields = fields


class ExhibitionInputSerializer(FullCleanModelSerializer):
    """An exhibition as staff set it up: an event of the kind exhibition, with its role."""

    class Meta(FullCleanModelSerializer.Meta):
        model = Exhibition
        fields = ["event", "role", "host_municipality", "organising_municipalities"]


class WorkSerializer(serializers.ModelSerializer):
    """A work shown in the joint exhibition of an edition."""

    artist = ArtistLinkSerializer(read_only=True)
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Work
        fields = [
            "id",
            "artist",
            "edition",
            "title",
            "year",
            "technique",
            "dimensions",
            "for_sale",
            "price",
            "project_room",
            "shared_venue",
            "image_url",
            "thumbnail_url",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_image_url(self, work) -> str | None:
        return absolute_url(self.context, work.display.url) if work.display else None

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_thumbnail_url(self, work) -> str | None:
        return absolute_url(self.context, work.thumbnail.url) if work.thumbnail else None


class WorkFieldsSerializer(serializers.Serializer):
    """What the artist describes; staff also set the project room and the shared venue."""

    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(
        min_value=1900, max_value=32767, allow_null=True, required=False
    )
    technique = serializers.CharField(max_length=200, allow_blank=True, required=False)
    dimensions = serializers.CharField(max_length=100, allow_blank=True, required=False)
    for_sale = serializers.BooleanField(required=False)
    price = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    image = serializers.FileField(
        required=False, help_text=_("JPEG, PNG or WebP, at most 15 MB and 40 megapixels.")
    )
    project_room = serializers.CharField(
        max_length=100, allow_blank=True, required=False, help_text=_("Staff only.")
    )
    shared_venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Staff only."),
    )


class WorkInputSerializer(WorkFieldsSerializer):
    """A new work: the edition, and for staff the artist (artists register their own)."""

    edition = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND)
    )
    artist = serializers.PrimaryKeyRelatedField(
        queryset=Artist.objects.all(),
        required=False,
        help_text=_("Staff only: whose work. Artists register their own."),
    )


class StudioSerializer(serializers.ModelSerializer):
    """An open studio of an edition: number, venue, coordinates, artists and hours."""

    name = serializers.CharField(source="venue.name", read_only=True)
    address = serializers.CharField(source="venue.address", read_only=True)
    postcode = serializers.CharField(source="venue.postcode", read_only=True)
    place = serializers.CharField(source="venue.place", read_only=True)
    municipality = MunicipalitySummarySerializer(source="venue.municipality", read_only=True)
    latitude = serializers.DecimalField(
        source="venue.latitude", max_digits=9, decimal_places=6, read_only=True, **COORDINATE_KWARGS
    )
    longitude = serializers.DecimalField(
        source="venue.longitude",
        max_digits=9,
        decimal_places=6,
        read_only=True,
        **COORDINATE_KWARGS,
    )
    accessibility = serializers.CharField(source="venue.accessibility", read_only=True)
    step_free = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Step-free access; null if unknown.")
    )
    artists = ArtistLinkSerializer(many=True, read_only=True)
    hours = HoursSerializer(many=True, read_only=True)

    class Meta:
        model = Studio
        fields = [
            "id",
            "edition",
            "number",
            "is_published",
            "venue",
            "name",
            "address",
            "postcode",
            "place",
            "municipality",
            "latitude",
            "longitude",
            "accessibility",
            "step_free",
            "artists",
            "hours",
        ]
        read_only_fields = fields


class StudioVenueSerializer(serializers.Serializer):
    """The address, coordinates (inside Norway) and accessibility of a studio."""

    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    postcode = serializers.CharField(max_length=4, allow_blank=True, required=False)
    place = serializers.CharField(max_length=100, allow_blank=True, required=False)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, required=False, **COORDINATE_KWARGS
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, required=False, **COORDINATE_KWARGS
    )
    accessibility = serializers.CharField(allow_blank=True, required=False)
    step_free = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text=_("Step-free access: true, false, or null if unknown."),
    )


class StudioInputSerializer(StudioVenueSerializer):
    """A new studio: the edition, and for staff the artist (artists register their own)."""

    edition = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND)
    )
    artist = serializers.PrimaryKeyRelatedField(
        queryset=Artist.objects.all(),
        required=False,
        help_text=_("Staff only: whose studio. Artists register their own."),
    )


class StudioHoursInputSerializer(HoursSerializer):
    """Opening hours on a day of an open-studio weekend; the studio closes after it opens."""


class JoinStudioSerializer(serializers.Serializer):
    artist = serializers.PrimaryKeyRelatedField(
        queryset=Artist.objects.all(),
        required=False,
        help_text=_("Staff only: who joins. Artists join themselves."),
    )


# GeoJSON, documented as the objects it returns.


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=_("Always Point."))
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text=_("[lon, lat]")
    )


class DirectionsSerializer(serializers.Serializer):
    geo = serializers.CharField(help_text=_("A geo: URI that a phone opens in its map app."))
    web = serializers.URLField(help_text=_("Directions on the web (Google Maps)."))


class StudioPropertiesSerializer(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    address = serializers.CharField()
    municipality = serializers.CharField()
    accessibility = serializers.CharField()
    step_free = serializers.BooleanField(allow_null=True)
    directions = DirectionsSerializer()
    url = serializers.URLField()
    artists = ArtistLinkSerializer(many=True)
    hours = HoursSerializer(many=True)


class StudioFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=_("Always Feature."))
    id = serializers.IntegerField()
    geometry = PointSerializer()
    properties = StudioPropertiesSerializer()


class StudioCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=_("Always FeatureCollection."))
    features = StudioFeatureSerializer(many=True)


def studio_feature(studio: Studio, context: dict) -> dict:
    """Return a studio as a GeoJSON Feature: a Point, longitude first as GeoJSON has it."""
    venue = studio.venue
    directions = studio.directions
    return {
        "type": "Feature",
        "id": studio.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [float(venue.longitude), float(venue.latitude)],
        },
        "properties": {
            "number": studio.number,
            "name": venue.name,
            "address": venue.full_address,
            "municipality": venue.municipality.name,
            "accessibility": venue.accessibility,
            "step_free": studio.step_free,
            "directions": {"geo": directions.geo_uri, "web": directions.web_url},
            "url": absolute_url(context, venue.get_absolute_url()),
            "artists": ArtistLinkSerializer(studio.artists.all(), many=True, context=context).data,
            "hours": HoursSerializer(studio.hours.all(), many=True).data,
        },
    }


# Filters --------------------------------------------------------------------------------


class EditionFilter(django_filters.FilterSet):
    edition = IdFilter(label=_("Edition (id)"), field_name="edition_id")


class ExhibitionFilter(django_filters.FilterSet):
    edition = IdFilter(label=_("Edition (id)"), field_name="event__period_id")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Exhibition.Role.choices)

    class Meta:
        model = Exhibition
        fields = ["edition", "role"]


class WorkFilter(EditionFilter):
    artist = IdFilter(label=_("Artist (id)"), field_name="artist_id")

    class Meta:
        model = Work
        fields = ["edition", "artist"]


class StudioFilter(EditionFilter):
    """The studios of an artist, and the visitor's filters of the list and the map
    (filter_studios): open on a day, in a municipality, with step-free access."""

    artist = IdFilter(label=_("Artist (id)"), field_name="artists")
    day = django_filters.DateFilter(label=_("Open on (date)"), method="filter_visitor")
    municipality = IdFilter(label=_("Municipality (id)"), method="filter_visitor")
    step_free = django_filters.BooleanFilter(
        label=_("Only studios with step-free access"), method="filter_visitor"
    )

    class Meta:
        model = Studio
        fields = ["edition", "artist", "day", "municipality", "step_free"]

    def filter_visitor(self, queryset, name, value):
        if value is None:
            return queryset
        if name == "municipality":
            value = Municipality.objects.filter(pk=value).first()
            if value is None:
                return queryset.none()
        return filter_studios(queryset, **{name: value})


# Views ----------------------------------------------------------------------------------


EXHIBITION_WRITE = extend_schema(
    request=ExhibitionInputSerializer,
    responses={200: ExhibitionSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
)


@extend_schema_view(
    list=extend_schema(summary=_("Exhibitions"), description=_("Joint and local exhibitions.")),
    retrieve=extend_schema(summary=_("An exhibition")),
    create=extend_schema(
        request=ExhibitionInputSerializer,
        responses={201: ExhibitionSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Set up an exhibition (staff)"),
    ),
    update=EXHIBITION_WRITE,
    partial_update=EXHIBITION_WRITE,
    destroy=extend_schema(responses={204: None, 403: ErrorSerializer}),
)
class ExhibitionViewSet(EventsCoreViewSet):
    """Exhibitions of the editions with their opening hours: anyone reads, staff write."""

    serializer_class = ExhibitionSerializer
    input_serializer_class = ExhibitionInputSerializer
    filterset_class = ExhibitionFilter
    policies = {"read": SEE_PLACE, "write": MANAGE_EXHIBITIONS}

    def get_queryset(self):
        return SEE_PLACE.filter(self.request.user, exhibitions())

    @extend_schema(
        request=HoursSerializer,
        responses={200: ExhibitionSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Set the opening hours on a day (staff)"),
    )
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        exhibition = self.get_object()
        data = HoursSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        work_services.set_exhibition_hours(
            exhibition=exhibition,
            day=values["date"],
            opens=values["opens"],
            closes=values["closes"],
        )
        return Response(self.output(exhibition))


WORK_WRITE = extend_schema(
    request={
        "application/json": WorkFieldsSerializer,
        "multipart/form-data": WorkFieldsSerializer,
    },
    responses={200: WorkSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
)


@extend_schema_view(
    list=extend_schema(summary=_("Exhibited works")),
    retrieve=extend_schema(summary=_("An exhibited work")),
    create=extend_schema(
        request={
            "application/json": WorkInputSerializer,
            "multipart/form-data": WorkInputSerializer,
        },
        responses={201: WorkSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Register the work shown in the joint exhibition"),
    ),
    update=WORK_WRITE,
    partial_update=WORK_WRITE,
)
class WorkViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The one work each accepted artist shows in an edition's joint exhibition."""

    serializer_class = WorkSerializer
    filterset_class = WorkFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Work.objects.none()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    policies = {"read": PUBLIC, "write": CHANGE_ARTIST_RECORDS}

    def get_queryset(self):
        return self.reachable(works())

    def output(self, work, code=status.HTTP_200_OK) -> Response:
        work = works().get(pk=work.pk)
        return Response(WorkSerializer(work, context=self.get_serializer_context()).data, code)

    def create(self, request, *args, **kwargs):
        data = WorkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        artist = acting_artist(request, values.pop("artist", None))
        edition = values.pop("edition")
        upload = values.pop("image", None)
        placement = {
            name: values.pop(name) for name in ("project_room", "shared_venue") if name in values
        }
        work = work_services.register_work(
            artist=artist, edition=edition, by=request.user, upload=upload, **values
        )
        if placement:
            work = work_services.update_work(work=work, by=request.user, values=placement)
        return self.output(work, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        work = self.get_object()
        data = WorkFieldsSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        upload = values.pop("image", None)
        work = work_services.update_work(work=work, by=request.user, values=values, upload=upload)
        return self.output(work)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


STUDIO_WRITE = extend_schema(
    request=StudioVenueSerializer,
    responses={200: StudioSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
)


@extend_schema_view(
    list=extend_schema(summary=_("Open studios")),
    retrieve=extend_schema(summary=_("An open studio")),
    create=extend_schema(
        request=StudioInputSerializer,
        responses={201: StudioSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Register your studio for an edition"),
    ),
    update=STUDIO_WRITE,
    partial_update=STUDIO_WRITE,
)
class StudioViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Open studios: the artists register theirs, share them and give their hours.

    The public reads studios once their numbers are published; an artist also their own.
    """

    serializer_class = StudioSerializer
    filterset_class = StudioFilter
    queryset = Studio.objects.none()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # An artist joins a shared studio they are not one of the artists of yet: the join
    # asks the write policy about the artist who joins, not about the studio.
    policies = {
        "read": SEE_PLACE,
        "geojson": PUBLIC,
        "write": CHANGE_ARTIST_RECORDS,
    }

    def get_queryset(self):
        return self.reachable(studios_with_details()).order_by("edition", "number", "pk")

    def _studios(self):
        return studios_with_details()

    def output(self, studio, code=status.HTTP_200_OK) -> Response:
        studio = self._studios().get(pk=studio.pk)
        return Response(StudioSerializer(studio, context=self.get_serializer_context()).data, code)

    def create(self, request, *args, **kwargs):
        data = StudioInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        artist = acting_artist(request, values.pop("artist", None))
        studio = studio_services.register_studio(
            artist=artist, edition=values.pop("edition"), by=request.user, **values
        )
        return self.output(studio, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        studio = self.get_object()
        data = StudioVenueSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        studio = studio_services.update_studio_venue(
            studio=studio, by=request.user, values=dict(data.validated_data)
        )
        return self.output(studio)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        methods=["POST"],
        request=StudioHoursInputSerializer,
        responses={200: StudioSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Set the opening hours on a day of an open-studio weekend"),
    )
    @extend_schema(
        methods=["DELETE"],
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=True)],
        request=None,
        responses={200: StudioSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Close the studio on a day"),
    )
    @action(detail=True, methods=["post", "delete"])
    def hours(self, request, pk=None):
        studio = self.get_object()
        if request.method == "DELETE":
            # A form of one field, so that a bad date is a field error like any other.
            query = ClosedDaySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            day = query.validated_data["date"]
            studio_services.clear_studio_hours(studio=studio, by=request.user, day=day)
            return self.output(studio)
        data = StudioHoursInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        studio_services.set_studio_hours(
            studio=studio,
            by=request.user,
            day=values["date"],
            opens=values["opens"],
            closes=values["closes"],
        )
        return self.output(studio)

    @extend_schema(
        request=JoinStudioSerializer,
        responses={200: StudioSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Join a shared studio"),
    )
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        # Not get_object(): the artist who joins is not one of the studio's artists yet.
        studio = get_object_or_404(self._studios(), pk=pk)
        data = JoinStudioSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        artist = acting_artist(request, data.validated_data.get("artist"))
        studio = studio_services.join_studio(artist=artist, studio=studio, by=request.user)
        return self.output(studio)

    @extend_schema(
        parameters=[
            OpenApiParameter("edition", OpenApiTypes.INT, required=True),
            OpenApiParameter(
                "day", OpenApiTypes.DATE, description=_("Only studios open on this day.")
            ),
            OpenApiParameter(
                "municipality",
                OpenApiTypes.INT,
                description=_("Only studios in this municipality (id)."),
            ),
            OpenApiParameter(
                "step_free",
                OpenApiTypes.BOOL,
                description=_("Only studios with step-free access."),
            ),
        ],
        responses={200: StudioCollectionSerializer, 400: FIELD_ERRORS},
        summary=_("The studios of an edition as GeoJSON"),
        description=_(
            "A FeatureCollection of Points (longitude, latitude) with each studio's number, "
            "artists, address and opening hours; only studios whose numbers are published, and "
            "with coordinates; filtered as the list of the studios is."
        ),
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="geojson", filterset_class=None)
    def geojson(self, request, **kwargs):
        edition_id = request.query_params.get("edition", "")
        edition = (
            Period.objects.filter(
                pk=int(edition_id), programme__kind=Programme.Kind.ART_ROUND
            ).first()
            if edition_id.isdigit()
            else None
        )
        if edition is None:
            return Response(
                {"detail": _("Give an edition of the art round: ?edition=<id>.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        form = StudioFilterForm(
            request.query_params,
            days=open_studio_days(edition),
            municipalities=studio_municipalities(edition),
        )
        if not form.is_valid():
            errors = {
                name: [str(message) for message in messages]
                for name, messages in form.errors.items()
            }
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        studios = filter_studios(published_studios(edition), **form.filters()).filter(
            venue__latitude__isnull=False, venue__longitude__isnull=False
        )
        context = self.get_serializer_context()
        return Response(
            {
                "type": "FeatureCollection",
                "features": [studio_feature(studio, context) for studio in studios],
            }
        )


def register(router):
    """Register this module's routes."""
    router.register("exhibitions", ExhibitionViewSet, basename="exhibition")
    router.register("works", WorkViewSet, basename="work")
    router.register("studios", StudioViewSet, basename="studio")
