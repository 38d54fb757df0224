"""API of Kunst rett vest: visitor tallies by hosts, and the artists' art sales.

Hosts (a studio's artists, an exhibition event's hosts) read and write the tallies of their
own places; staff all. Each tap is sent with a client nonce: sent again, it answers 200 with
the first tally and ``replayed: true``, and counts nothing. Sales are private: an artist
reads and writes their own, staff all. Writes go through artists.services.tallies.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from artists.api.base import ArtistsViewSet, acting_artist
from artists.models import Artist, ArtSale, Exhibition, Studio, VisitTally, Work
from artists.policies import ART_SALE, ART_SALES, COUNT_AT_PLACE, COUNT_VISITORS
from artists.selectors.places import place_name
from artists.selectors.studios import current_edition_of, exhibitions, studios_with_details
from artists.selectors.tallies import day_totals, tallies, tally_place
from artists.services import tallies as services
from core.api import FIELD_ERRORS, ErrorSerializer
from events.filters import IdFilter
from events.models import Period, Programme

# Serializers ----------------------------------------------------------------------------


class TallySnapshotSerializer(serializers.Serializer):
    """A tally's values before or after a correction."""

    date = serializers.DateField()
    category = serializers.ChoiceField(choices=VisitTally.Category.choices)
    visitors = serializers.IntegerField()
    pupils = serializers.IntegerField()
    school = serializers.CharField(allow_blank=True)
    void = serializers.BooleanField()


class TallyCorrectionSerializer(serializers.Serializer):
    """One change to a tally: who, when, what it was and became, and why."""

    id = serializers.IntegerField()
    changed_by = serializers.CharField(source="changed_by.get_username", default="")
    changed_at = serializers.DateTimeField()
    before = TallySnapshotSerializer()
    after = TallySnapshotSerializer()
    reason = serializers.CharField()


class TallySerializer(serializers.ModelSerializer):
    """A count at a studio or an exhibition on one day, with its corrections."""

    place_name = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.get_username", default="")
    is_void = serializers.BooleanField(read_only=True)
    corrections = TallyCorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = VisitTally
        fields = [
            "id",
            "edition",
            "studio",
            "exhibition",
            "place_name",
            "date",
            "category",
            "visitors",
            "pupils",
            "school",
            "nonce",
            "recorded_by",
            "recorded_at",
            "tapped_at",
            "voided_at",
            "is_void",
            "corrections",
        ]
        read_only_fields = fields

    def get_place_name(self, tally) -> str:
        return place_name(tally_place(tally))


class CategoryTotalSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=VisitTally.Category.choices)
    label = serializers.CharField()
    visitors = serializers.IntegerField()
    pupils = serializers.IntegerField()
    entries = serializers.IntegerField()


class DayTotalsSerializer(serializers.Serializer):
    """What a place counted on a day, removed counts left out."""

    visitors = serializers.IntegerField()
    pupils = serializers.IntegerField()
    entries = serializers.IntegerField()
    by_category = CategoryTotalSerializer(many=True)


class TallyRecordedSerializer(TallySerializer):
    """The answer to a tap: the tally, whether it was a replay, and the day's totals."""

    replayed = serializers.SerializerMethodField()
    day_totals = serializers.SerializerMethodField()

    class Meta(TallySerializer.Meta):
        fields = [*TallySerializer.Meta.fields, "replayed", "day_totals"]
        read_only_fields = fields

    def get_replayed(self, tally) -> bool:
        return bool(self.context.get("replayed"))

    @extend_schema_field(DayTotalsSerializer)
    def get_day_totals(self, tally) -> dict:
        return DayTotalsSerializer(day_totals(tally_place(tally), tally.date)).data


class DaySummarySerializer(serializers.Serializer):
    """A place's day: its name, the day and its totals."""

    studio = serializers.IntegerField(allow_null=True)
    exhibition = serializers.IntegerField(allow_null=True)
    place_name = serializers.CharField()
    date = serializers.DateField()
    totals = DayTotalsSerializer()


class CountingPlaceField(serializers.PrimaryKeyRelatedField):
    """A studio or an exhibition where the request's user counts visits (COUNT_AT_PLACE);
    any other is a field error, so that a tally app drops the tap (it keeps a tap refused
    with 401 or 403 until the host logs in again)."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": _("You do not count visits at this place."),
    }

    def get_queryset(self):
        return COUNT_AT_PLACE.filter(self.context["request"].user, super().get_queryset())


class PlaceSerializer(serializers.Serializer):
    """A place where visits are counted: either a studio or an exhibition (``place``)."""

    # Read with their artists, hosts' event and hours: what the service checks.
    studio = CountingPlaceField(queryset=studios_with_details(), required=False, allow_null=True)
    exhibition = CountingPlaceField(queryset=exhibitions(), required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("studio")) == bool(attrs.get("exhibition")):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either a studio or an exhibition.")]}
            )
        attrs["place"] = attrs.get("studio") or attrs.get("exhibition")
        return attrs


class TallyInputSerializer(PlaceSerializer):
    """One tap or one group: the place (a studio or an exhibition), the day and the count."""

    date = serializers.DateField(
        required=False, help_text=_("The day counted; today (Europe/Oslo) if left out.")
    )
    category = serializers.ChoiceField(
        choices=VisitTally.Category.choices, default=VisitTally.Category.SINGLE
    )
    visitors = serializers.IntegerField(
        help_text=_("At least 1, at most the site's maximum per entry (TALLY_MAX_PER_ENTRY).")
    )
    pupils = serializers.IntegerField(
        min_value=0, default=0, help_text=_("School classes: how many of the visitors are pupils.")
    )
    school = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text=_("School classes: the school.")
    )
    nonce = serializers.CharField(
        max_length=64,
        allow_blank=True,
        default="",
        help_text=_(
            "The client's id for this tap (a UUID). Sent again, the first answer is repeated "
            "and nothing is counted twice."
        ),
    )
    tapped_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("When the host tapped, if sent later.")
    )


class TallyCorrectionInputSerializer(serializers.Serializer):
    """New values for a tally, and why; fields left out stay as they are."""

    reason = serializers.CharField(max_length=300, help_text=_("Why the count is corrected."))
    date = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=VisitTally.Category.choices, required=False)
    visitors = serializers.IntegerField(required=False)
    pupils = serializers.IntegerField(min_value=0, required=False)
    school = serializers.CharField(max_length=200, allow_blank=True, required=False)


class TallyVoidInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("Why the count is removed."))


class SaleSerializer(serializers.ModelSerializer):
    """Art an artist sold during an edition (private to the artist and staff)."""

    artist_name = serializers.CharField(source="artist.name", read_only=True)
    work_title = serializers.CharField(source="work.title", default="", read_only=True)

    class Meta:
        model = ArtSale
        fields = [
            "id",
            "edition",
            "artist",
            "artist_name",
            "work",
            "work_title",
            "description",
            "amount",
            "sold_on",
            "recorded_at",
        ]
        read_only_fields = fields


class SaleInputSerializer(serializers.Serializer):
    """A sale: the exhibited work or a description of what was sold, the amount and the day."""

    edition = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND),
        required=False,
        help_text=_("The edition; the artist's newest accepted edition if left out."),
    )
    artist = serializers.PrimaryKeyRelatedField(
        queryset=Artist.objects.all(),
        required=False,
        help_text=_("Staff only: whose sale. Artists record their own."),
    )
    work = serializers.PrimaryKeyRelatedField(
        queryset=Work.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(max_length=200, allow_blank=True, default="")
    amount = serializers.IntegerField(help_text=_("In NOK, at least 1."))
    sold_on = serializers.DateField(required=False)


# Filters --------------------------------------------------------------------------------


class TallyFilter(django_filters.FilterSet):
    edition = IdFilter(label=_("Edition (id)"), field_name="edition_id")
    studio = IdFilter(label=_("Studio (id)"), field_name="studio_id")
    exhibition = IdFilter(label=_("Exhibition (id)"), field_name="exhibition_id")
    date = django_filters.DateFilter(label=_("Day"), field_name="date")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=VisitTally.Category.choices)
    include_voided = django_filters.BooleanFilter(
        label=_("Include removed counts"), method="keep_all"
    )

    class Meta:
        model = VisitTally
        fields = ["edition", "studio", "exhibition", "date", "category", "include_voided"]

    def keep_all(self, queryset, name, value):
        # The list leaves removed counts out unless asked (TallyViewSet.filter_queryset).
        return queryset


class SaleFilter(django_filters.FilterSet):
    edition = IdFilter(label=_("Edition (id)"), field_name="edition_id")
    artist = IdFilter(label=_("Artist (id)"), field_name="artist_id")

    class Meta:
        model = ArtSale
        fields = ["edition", "artist"]


# Views ----------------------------------------------------------------------------------

NOT_ALLOWED = OpenApiResponse(
    response=ErrorSerializer, description=_("Not logged in, or not a host of this place.")
)
TALLY_WRITE = extend_schema(
    request=TallyCorrectionInputSerializer,
    responses={200: TallySerializer, 400: FIELD_ERRORS, 403: NOT_ALLOWED, 404: ErrorSerializer},
    summary=_("Correct a count"),
    description=_("Change a count's day, category or numbers; the change is kept in its history."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Visitor tallies"),
        description=_(
            "Counts at the places the user hosts (all for staff). Removed counts are left "
            "out unless include_voided=true."
        ),
    ),
    retrieve=extend_schema(summary=_("A visitor tally"), responses={200: TallySerializer}),
    create=extend_schema(
        request=TallyInputSerializer,
        responses={
            201: TallyRecordedSerializer,
            200: OpenApiResponse(
                TallyRecordedSerializer,
                description=_("This nonce was already counted: the first tally, replayed."),
            ),
            400: FIELD_ERRORS,
            403: NOT_ALLOWED,
        },
        summary=_("Count visitors"),
        description=_(
            "Count one tap or one group at a studio or an exhibition on an open day, today "
            "or earlier. Send a nonce: sent again, the first answer comes back with "
            "replayed=true, and a nonce used for another count is refused."
        ),
    ),
    partial_update=TALLY_WRITE,
)
class TallyViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Visitor tallies: hosts count at their own places, staff everywhere."""

    serializer_class = TallySerializer
    filterset_class = TallyFilter
    queryset = VisitTally.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    # A count, and the day's totals, for whoever counts, at a place they count at (the
    # place is fetched through COUNT_AT_PLACE, as a field of the input).
    policies = {"*": COUNT_AT_PLACE, "create": COUNT_VISITORS, "day": COUNT_VISITORS}

    def get_queryset(self):
        return self.reachable(tallies()).order_by("-date", "-recorded_at", "-pk")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            keep = self.request.query_params.get("include_voided", "").lower()
            if keep not in ("true", "1", "yes", "on"):
                queryset = queryset.filter(voided_at__isnull=True)
        return queryset

    def output(self, tally, *, serializer=TallySerializer, code=status.HTTP_200_OK, **context):
        tally = tallies().get(pk=tally.pk)
        context = {**self.get_serializer_context(), **context}
        return Response(serializer(tally, context=context).data, status=code)

    def create(self, request, *args, **kwargs):
        data = TallyInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.record_tally(
            by=request.user,
            place=values["place"],
            day=values.get("date") or timezone.localdate(),
            visitors=values["visitors"],
            category=values["category"],
            pupils=values["pupils"],
            school=values["school"],
            nonce=values["nonce"],
            tapped_at=values.get("tapped_at"),
        )
        return self.output(
            result.tally,
            serializer=TallyRecordedSerializer,
            code=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED,
            replayed=result.replayed,
        )

    def _correct(self, request):
        tally = self.get_object()
        data = TallyCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason")
        tally = services.correct_tally(tally=tally, by=request.user, reason=reason, **changes)
        return self.output(tally)

    def partial_update(self, request, *args, **kwargs):
        return self._correct(request)

    @extend_schema(
        request=TallyCorrectionInputSerializer,
        responses={
            200: TallySerializer,
            400: FIELD_ERRORS,
            403: NOT_ALLOWED,
            404: ErrorSerializer,
        },
        summary=_("Correct a count"),
        description=_("The same as PATCH on the tally, for clients that only POST."),
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        return self._correct(request)

    @extend_schema(
        request=TallyVoidInputSerializer,
        responses={
            200: TallySerializer,
            400: FIELD_ERRORS,
            403: NOT_ALLOWED,
            404: ErrorSerializer,
        },
        summary=_("Remove a count"),
        description=_("A removed count no longer counts; it stays in the history."),
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        tally = self.get_object()
        data = TallyVoidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tally = services.void_tally(
            tally=tally, by=request.user, reason=data.validated_data["reason"]
        )
        return self.output(tally)

    @extend_schema(
        parameters=[
            OpenApiParameter("studio", OpenApiTypes.INT),
            OpenApiParameter("exhibition", OpenApiTypes.INT),
            OpenApiParameter("date", OpenApiTypes.DATE, description=_("Today if left out.")),
        ],
        responses={200: DaySummarySerializer, 400: FIELD_ERRORS, 403: NOT_ALLOWED},
        summary=_("A place's totals on a day"),
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def day(self, request, **kwargs):
        query = DayQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        values = query.validated_data
        place = values["place"]
        day = values.get("date") or timezone.localdate()
        summary = {
            "studio": place.pk if isinstance(place, Studio) else None,
            "exhibition": place.pk if isinstance(place, Exhibition) else None,
            "place_name": place_name(place),
            "date": day,
            "totals": day_totals(place, day),
        }
        return Response(DaySummarySerializer(summary).data)


class DayQuerySerializer(PlaceSerializer):
    date = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Art sales"), description=_("The artist's own sales; all for staff.")
    ),
    retrieve=extend_schema(summary=_("An art sale")),
    create=extend_schema(
        request=SaleInputSerializer,
        responses={201: SaleSerializer, 400: FIELD_ERRORS, 403: NOT_ALLOWED},
        summary=_("Record a sale"),
    ),
    destroy=extend_schema(
        responses={204: None, 403: NOT_ALLOWED, 404: ErrorSerializer},
        summary=_("Delete a sale recorded by mistake"),
    ),
)
class SaleViewSet(
    ArtistsViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
):
    """Art the artists sold: private to the artist and staff; statistics show totals only."""

    serializer_class = SaleSerializer
    filterset_class = SaleFilter
    queryset = ArtSale.objects.none()
    # The list is the artist's own (403 to a login without a profile); one sale of
    # another artist is not found (404).
    policies = {"*": ART_SALES, "retrieve": ART_SALE, "destroy": ART_SALE}

    def get_queryset(self):
        return self.reachable(ArtSale.objects.select_related("artist", "work", "edition")).order_by(
            "-sold_on", "-pk"
        )

    def create(self, request, *args, **kwargs):
        data = SaleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        artist = acting_artist(request, values.pop("artist", None), ART_SALES)
        edition = values.pop("edition", None) or current_edition_of(artist)
        if edition is None:
            raise serializers.ValidationError(
                {"edition": [_("Choose the edition the sale belongs to.")]}
            )
        sale = services.record_sale(by=request.user, artist=artist, edition=edition, **values)
        sale = ArtSale.objects.select_related("artist", "work").get(pk=sale.pk)
        return Response(
            SaleSerializer(sale, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        services.delete_sale(by=self.request.user, sale=instance)


def register(router):
    """Register this module's routes."""
    router.register("tallies", TallyViewSet, basename="tally")
    router.register("sales", SaleViewSet, basename="sale")
