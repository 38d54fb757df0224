"""API of Kunst rett vest: artists' profiles and their work images.

Anyone reads the public side of every profile and the public images. An artist also
reads their own private fields (email, phone) and all their own images, and changes their
own profile and gallery; staff read and change every profile. Writes go through the same
services as the pages, so uploads are checked and cleaned by artists.images.
"""

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from artists.api.base import ArtistsViewSet, acting_artist
from artists.models import Artist, ArtistImage, Discipline
from artists.policies import (
    ART_ROUND_STAFF,
    CHANGE_ARTIST_RECORDS,
    OWN_ARTIST_PAGES,
    SEE_WORK_IMAGES,
)
from artists.selectors.profiles import accepted_artists, artist_of, artists_with_profile
from artists.services import profiles as services
from core.api import FIELD_ERRORS, ErrorSerializer, MultiPartParser, absolute_url
from core.json_input import JSONParser
from core.policies import PUBLIC
from events.api import MunicipalitySummarySerializer
from events.filters import IdFilter
from events.models import Municipality, Period

# Serializers ----------------------------------------------------------------------------


def address_or_blank(format_name: str) -> dict:
    """Return the schema of an optional address: "" when the artist has given none."""
    return {
        "anyOf": [{"type": "string", "format": format_name}, {"type": "string", "maxLength": 0}]
    }


@extend_schema_field(address_or_blank("uri"))
class WebsiteField(serializers.URLField):
    """A web address, or "" when there is none."""


@extend_schema_field(address_or_blank("email"))
class EmailOrBlankField(serializers.EmailField):
    """An email address, or "" when there is none."""


class PublicArtistSerializer(serializers.ModelSerializer):
    """An artist's public profile: what their page shows."""

    website = WebsiteField(read_only=True)
    disciplines = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    home_municipality = MunicipalitySummarySerializer(read_only=True, allow_null=True)
    studio_municipality = MunicipalitySummarySerializer(read_only=True, allow_null=True)
    portrait_url = serializers.SerializerMethodField()
    portrait_thumbnail_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Artist
        fields = [
            "id",
            "slug",
            "name",
            "disciplines",
            "home_municipality",
            "studio_municipality",
            "bio_nb",
            "bio_en",
            "statement_nb",
            "statement_en",
            "website",
            "instagram",
            "portrait_url",
            "portrait_thumbnail_url",
            "url",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_portrait_url(self, artist) -> str | None:
        return absolute_url(self.context, artist.portrait.url) if artist.portrait else None

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_portrait_thumbnail_url(self, artist) -> str | None:
        thumbnail = artist.portrait_thumbnail
        return absolute_url(self.context, thumbnail.url) if thumbnail else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, artist) -> str:
        return absolute_url(self.context, artist.get_absolute_url())


# The codes only, as the ticketing API has them, so that the schema has one language enum.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PRIVATE_HELP = _("Only for the artist themself and staff; absent for anyone else.")


class ArtistSerializer(PublicArtistSerializer):
    """An artist's profile with the private fields, for the artist themself and staff.

    Others get the same object without ``email``, ``phone``, ``language`` and
    ``is_professional``; the schema marks those fields as optional for that reason.
    """

    email = EmailOrBlankField(required=False, help_text=PRIVATE_HELP)
    phone = serializers.CharField(required=False, help_text=PRIVATE_HELP)
    language = serializers.ChoiceField(
        choices=LANGUAGE_CODES, required=False, help_text=PRIVATE_HELP
    )
    is_professional = serializers.BooleanField(required=False, help_text=PRIVATE_HELP)

    class Meta(PublicArtistSerializer.Meta):
        fields = [
            *PublicArtistSerializer.Meta.fields,
            "email",
            "phone",
            "language",
            "is_professional",
        ]
        read_only_fields = PublicArtistSerializer.Meta.fields


class ArtistInputSerializer(serializers.Serializer):
    """What the artist (or staff) sends to change a profile; omitted fields stay.

    ``disciplines`` are slugs; municipalities are ids, and a newly chosen one must be on
    today's map. Only staff set ``is_professional``.
    """

    name = serializers.CharField(max_length=200)
    disciplines = serializers.SlugRelatedField(
        slug_field="slug", queryset=Discipline.objects.all(), many=True, required=False
    )
    home_municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), allow_null=True, required=False
    )
    studio_municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), allow_null=True, required=False
    )
    bio_nb = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    bio_en = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    statement_nb = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    statement_en = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    website = serializers.CharField(max_length=200, allow_blank=True, required=False)
    instagram = serializers.CharField(max_length=60, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)
    is_professional = serializers.BooleanField(required=False)

    def profile_values(self) -> dict:
        return {name: value for name, value in self.validated_data.items() if name != "disciplines"}


class PortraitInputSerializer(serializers.Serializer):
    portrait = serializers.FileField(help_text=_("JPEG, PNG or WebP, at most 15 MB."))


class ArtistImageSerializer(serializers.ModelSerializer):
    """A work image with the addresses of its display size and its thumbnail."""

    display_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ArtistImage
        fields = [
            "id",
            "artist",
            "title",
            "year",
            "technique",
            "dimensions",
            "is_public",
            "position",
            "width",
            "height",
            "display_url",
            "thumbnail_url",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_display_url(self, image) -> str:
        return absolute_url(self.context, image.display.url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, image) -> str:
        return absolute_url(self.context, image.thumbnail.url)


class ArtistImageFieldsSerializer(serializers.Serializer):
    """The facts of a work image, and its place in the gallery (0: first)."""

    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(
        min_value=1900, max_value=32767, allow_null=True, required=False
    )
    technique = serializers.CharField(max_length=200, allow_blank=True, required=False)
    dimensions = serializers.CharField(max_length=100, allow_blank=True, required=False)
    is_public = serializers.BooleanField(required=False)
    position = serializers.IntegerField(min_value=0, required=False)


class ArtistImageUploadSerializer(ArtistImageFieldsSerializer):
    """A new work image, sent as multipart/form-data. Staff name the artist; artists do not."""

    image = serializers.FileField(
        help_text=_("JPEG, PNG or WebP, at most 15 MB and 40 megapixels.")
    )
    artist = serializers.PrimaryKeyRelatedField(
        queryset=Artist.objects.all(),
        required=False,
        help_text=_("Staff only: whose gallery. Artists add to their own."),
    )


# Filters --------------------------------------------------------------------------------


class ArtistFilter(django_filters.FilterSet):
    discipline = django_filters.ModelChoiceFilter(
        label=_("Discipline (slug)"),
        field_name="disciplines",
        to_field_name="slug",
        queryset=Discipline.objects.all(),
    )
    municipality = IdFilter(
        label=_("Municipality (id), of the home or the studio"), method="filter_municipality"
    )
    name = django_filters.CharFilter(label=_("Name contains"), lookup_expr="icontains")
    accepted_in = IdFilter(label=_("Accepted to the edition (id)"), method="filter_accepted_in")

    class Meta:
        model = Artist
        fields = ["discipline", "municipality", "name", "accepted_in"]

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(Q(home_municipality_id=value) | Q(studio_municipality_id=value))

    def filter_accepted_in(self, queryset, name, value):
        edition = Period.objects.filter(pk=value).first()
        if edition is None:
            return queryset.none()
        return queryset.filter(pk__in=accepted_artists(edition).values("pk"))


class ArtistImageFilter(django_filters.FilterSet):
    artist = IdFilter(label=_("Artist (id)"), field_name="artist_id")
    is_public = django_filters.BooleanFilter(label=_("Public"))

    class Meta:
        model = ArtistImage
        fields = ["artist", "is_public"]


# Artists --------------------------------------------------------------------------------

ARTIST_WRITE = extend_schema(
    request=ArtistInputSerializer,
    responses={200: ArtistSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Artists"),
        description=_("Public profiles; staff also get the private fields."),
        responses=ArtistSerializer,
    ),
    retrieve=extend_schema(
        summary=_("An artist"),
        description=_("The private fields only for the artist themself and staff."),
    ),
    update=ARTIST_WRITE,
    partial_update=ARTIST_WRITE,
    create=extend_schema(
        request=ArtistInputSerializer,
        responses={201: ArtistSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Add an artist (staff)"),
    ),
)
class ArtistViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Artists' profiles: public for anyone, private fields for the artist and staff."""

    serializer_class = ArtistSerializer
    filterset_class = ArtistFilter
    queryset = Artist.objects.none()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Staff add profiles (an artist gets theirs by signing up); the artist and staff change one.
    policies = {
        "read": PUBLIC,
        "create": ART_ROUND_STAFF,
        "write": CHANGE_ARTIST_RECORDS,
        "me": OWN_ARTIST_PAGES,
    }

    def get_queryset(self):
        return self.reachable(artists_with_profile()).order_by("name", "pk")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ArtistInputSerializer
        if self.action == "list" and not ART_ROUND_STAFF.admits(self.request.user):
            return PublicArtistSerializer
        return ArtistSerializer

    def output(self, artist, code=status.HTTP_200_OK) -> Response:
        """Answer with the profile as this user may see it, read again with its relations."""
        artist = self.get_queryset().get(pk=artist.pk)
        serializer = (
            ArtistSerializer
            if CHANGE_ARTIST_RECORDS.allows(self.request.user, artist)
            else PublicArtistSerializer
        )
        return Response(serializer(artist, context=self.get_serializer_context()).data, code)

    def retrieve(self, request, *args, **kwargs):
        return self.output(self.get_object())

    def create(self, request, *args, **kwargs):
        data = ArtistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.profile_values()
        artist = services.create_artist(
            name=values.pop("name"),
            disciplines=data.validated_data.get("disciplines"),
            by=request.user,
            **values,
        )
        return self.output(artist, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        artist = self.get_object()
        data = ArtistInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        artist = services.update_profile(
            artist=artist,
            by=request.user,
            values=data.profile_values(),
            disciplines=data.validated_data.get("disciplines"),
        )
        return self.output(artist)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        responses={200: ArtistSerializer, 403: ErrorSerializer},
        summary=_("Your own profile"),
    )
    @action(detail=False, methods=["get"])
    def me(self, request, **kwargs):
        return self.output(artist_of(request.user))  # OWN_ARTIST_PAGES: the login has one

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": PortraitInputSerializer},
        responses={200: ArtistSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Upload a new portrait"),
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={200: ArtistSerializer, 403: ErrorSerializer},
        summary=_("Remove the portrait"),
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def portrait(self, request, pk=None):
        artist = self.get_object()
        if request.method == "DELETE":
            artist = services.update_profile(
                artist=artist, by=request.user, values={}, remove_portrait=True
            )
            return self.output(artist)
        data = PortraitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        artist = services.update_profile(
            artist=artist, by=request.user, values={}, portrait=data.validated_data["portrait"]
        )
        return self.output(artist)


# Work images ----------------------------------------------------------------------------

IMAGE_WRITE = extend_schema(
    request=ArtistImageFieldsSerializer,
    responses={200: ArtistImageSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Work images"),
        description=_("Public images for anyone; the artist's own as well; all for staff."),
    ),
    create=extend_schema(
        request={"multipart/form-data": ArtistImageUploadSerializer},
        responses={201: ArtistImageSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Upload a work image"),
    ),
    update=IMAGE_WRITE,
    partial_update=IMAGE_WRITE,
    destroy=extend_schema(responses={204: None, 400: ErrorSerializer, 403: ErrorSerializer}),
)
class ArtistImageViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Work images: the artist uploads, describes, orders and deletes their own."""

    serializer_class = ArtistImageSerializer
    filterset_class = ArtistImageFilter
    queryset = ArtistImage.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    policies = {"read": SEE_WORK_IMAGES, "write": CHANGE_ARTIST_RECORDS}

    def get_queryset(self):
        return self.reachable(ArtistImage.objects.select_related("artist")).order_by(
            "artist__name", "position", "pk"
        )

    def get_serializer_class(self):
        if self.action == "create":
            return ArtistImageUploadSerializer
        if self.action in ("update", "partial_update"):
            return ArtistImageFieldsSerializer
        return ArtistImageSerializer

    def output(self, image, code=status.HTTP_200_OK) -> Response:
        image = ArtistImage.objects.get(pk=image.pk)
        return Response(
            ArtistImageSerializer(image, context=self.get_serializer_context()).data, code
        )

    def create(self, request, *args, **kwargs):
        data = ArtistImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        artist = acting_artist(request, values.pop("artist", None))
        position = values.pop("position", None)
        image = services.add_work_image(
            artist=artist, by=request.user, upload=values.pop("image"), **values
        )
        if position is not None:
            image = services.move_work_image(image=image, by=request.user, position=position)
        return self.output(image, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        image = self.get_object()
        data = ArtistImageFieldsSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        position = values.pop("position", None)
        image = services.update_work_image(image=image, by=request.user, values=values)
        if position is not None:
            image = services.move_work_image(image=image, by=request.user, position=position)
        return self.output(image)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.delete_work_image(image=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    """Register this module's routes."""
    router.register("artists", ArtistViewSet, basename="artist")
    router.register("artist-images", ArtistImageViewSet, basename="artist-image")
