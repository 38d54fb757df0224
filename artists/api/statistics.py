"""API of Kunst rett vest: visitor statistics, for staff.

Read only. ``/visit-statistics/?edition=<id>`` gives an edition's figures by place, day,
weekend, municipality and category; ``/visit-statistics/year-on-year/`` every edition of
the art round with its change from the edition before and the all-time totals. Tallies are
the visits; QR registrations are given beside them and never added in. Art sales are totals.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from artists.policies import ART_ROUND_STAFF
from artists.selectors import statistics as selectors
from core.api import ErrorSerializer
from events.models import Period, Programme

FIGURES = [
    (selectors.COUNTED, _("Counted from the tallies")),
    (selectors.REPORTED, _("Reported from outside Kulturvest")),
    (selectors.NO_FIGURES, _("No figures")),
]

# Serializers ----------------------------------------------------------------------------


class EditionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField(source="start.year")


class ProgrammeSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class KindCountsSerializer(serializers.Serializer):
    """Counts at the joint exhibition, the local exhibitions and the open studios."""

    joint = serializers.IntegerField()
    local = serializers.IntegerField()
    studios = serializers.IntegerField()
    total = serializers.IntegerField()


class ExhibitionFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="exhibition.pk")
    title = serializers.CharField()
    role = serializers.CharField(source="exhibition.role")
    municipality = serializers.CharField()
    visits = serializers.IntegerField()
    pupils = serializers.IntegerField()
    qr_registrations = serializers.IntegerField(source="qr")


class StudioFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="studio.pk")
    number = serializers.IntegerField(source="studio.number", allow_null=True)
    name = serializers.CharField()
    municipality = serializers.CharField()
    is_open = serializers.BooleanField(help_text=_("The studio has opening hours."))
    visits = serializers.IntegerField()
    qr_registrations = serializers.IntegerField(source="qr")


class DayFiguresSerializer(serializers.Serializer):
    date = serializers.DateField()
    visits = KindCountsSerializer()
    qr_registrations = serializers.IntegerField(source="qr")


class WeekendFiguresSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="weekend.pk")
    title = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    visits = KindCountsSerializer()
    qr_registrations = serializers.IntegerField(source="qr")


class MunicipalityFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="municipality_id", allow_null=True)
    name = serializers.CharField()
    visits = serializers.IntegerField()
    qr_registrations = serializers.IntegerField(source="qr")


class CategoryFiguresSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    entries = serializers.IntegerField(help_text=_("Tallies entered in this category."))
    visits = KindCountsSerializer()
    pupils = serializers.IntegerField()


class ArtSalesSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("NOK."))
    count = serializers.IntegerField(allow_null=True, help_text=_("Null for reported figures."))


@extend_schema_serializer(many=False)
class EditionStatisticsSerializer(serializers.Serializer):
    """An edition's visitor figures. The headline figures follow ``figures``; the breakdowns
    (by place, day, weekend, municipality, category) are always the counted tallies."""

    edition = EditionSummarySerializer()
    figures = serializers.ChoiceField(
        source="source",
        choices=FIGURES,
        help_text=_("Where the headline figures come from: counted, reported or none."),
    )
    joint_exhibition_visits = serializers.IntegerField(source="joint_visits")
    joint_exhibition_pupils = serializers.IntegerField(source="joint_pupils")
    local_exhibition_visits = serializers.IntegerField(source="local_visits")
    studio_visits = serializers.IntegerField()
    open_studios = serializers.IntegerField(
        help_text=_("Studios with opening hours in the edition.")
    )
    visits_per_open_studio = serializers.DecimalField(
        source="visits_per_studio",
        max_digits=12,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
    )
    total_visits = serializers.IntegerField()
    counted_visits = KindCountsSerializer(source="counted")
    qr_registrations = KindCountsSerializer(
        source="qr", help_text=_("Poster scans: not part of the visits.")
    )
    joint_exhibitions = ExhibitionFiguresSerializer(many=True)
    local_exhibitions = ExhibitionFiguresSerializer(many=True)
    studios = StudioFiguresSerializer(many=True)
    by_day = DayFiguresSerializer(source="days", many=True)
    by_weekend = WeekendFiguresSerializer(source="weekends", many=True)
    by_municipality = MunicipalityFiguresSerializer(source="municipalities", many=True)
    by_category = CategoryFiguresSerializer(source="categories", many=True)
    art_sales = serializers.SerializerMethodField()
    artists = serializers.IntegerField(help_text=_("Accepted artists."))
    applications = serializers.IntegerField(help_text=_("Submitted applications."))

    @extend_schema_field(ArtSalesSerializer)
    def get_art_sales(self, stats) -> dict:
        return {
            "total": stats.art_sales,
            "count": None if stats.is_reported else stats.sales_count,
        }


class YearFiguresSerializer(serializers.Serializer):
    edition = EditionSummarySerializer()
    figures = serializers.ChoiceField(
        source="source",
        choices=FIGURES,
        help_text=_("Where the headline figures come from: counted, reported or none."),
    )
    joint_exhibition_visits = serializers.IntegerField(source="joint_visits")
    joint_exhibition_pupils = serializers.IntegerField(source="joint_pupils")
    local_exhibition_visits = serializers.IntegerField(source="local_visits")
    studio_visits = serializers.IntegerField()
    open_studios = serializers.IntegerField()
    total_visits = serializers.IntegerField()
    change = serializers.IntegerField(
        allow_null=True, help_text=_("Visits more (or fewer) than the edition before.")
    )
    change_percent = serializers.DecimalField(
        max_digits=9, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    previous_year = serializers.IntegerField(allow_null=True)
    fell = serializers.BooleanField(help_text=_("Fewer visits than the edition before."))
    cumulative_visits = serializers.IntegerField(
        help_text=_("Visits of every edition up to and including this one.")
    )
    first_year = serializers.IntegerField(allow_null=True)
    artists = serializers.IntegerField()
    applications = serializers.IntegerField()
    art_sales = serializers.IntegerField(help_text=_("NOK, total."))
    qr_registrations = serializers.IntegerField(source="qr")


class AllTimeSerializer(serializers.Serializer):
    editions = serializers.IntegerField(help_text=_("Editions with figures."))
    first_year = serializers.IntegerField(allow_null=True)
    last_year = serializers.IntegerField(allow_null=True)
    joint_exhibition_visits = serializers.IntegerField(source="joint_visits")
    joint_exhibition_pupils = serializers.IntegerField(source="joint_pupils")
    local_exhibition_visits = serializers.IntegerField(source="local_visits")
    studio_visits = serializers.IntegerField()
    total_visits = serializers.IntegerField()
    art_sales = serializers.IntegerField()
    qr_registrations = serializers.IntegerField(source="qr")


class YearOnYearSerializer(serializers.Serializer):
    programme = ProgrammeSummarySerializer(allow_null=True)
    editions = YearFiguresSerializer(many=True)
    all_time = AllTimeSerializer()


# Views ----------------------------------------------------------------------------------


def _art_round_id(request, name: str, queryset):
    value = request.query_params.get(name, "")
    return queryset.filter(pk=int(value)).first() if value.isdigit() else None


class VisitStatisticsViewSet(viewsets.ViewSet):
    """Visitor statistics of the art round, for staff."""

    policy = ART_ROUND_STAFF

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "edition", OpenApiTypes.INT, required=True, description=_("Edition (id).")
            )
        ],
        responses={
            200: EditionStatisticsSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        summary=_("An edition's visitor statistics (staff)"),
    )
    def list(self, request, **kwargs):
        editions = Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND)
        edition = _art_round_id(request, "edition", editions)
        if edition is None:
            return Response(
                {"detail": _("Give an edition of the art round: ?edition=<id>.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        stats = selectors.edition_statistics(edition)
        return Response(EditionStatisticsSerializer(stats).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "programme",
                OpenApiTypes.INT,
                description=_("Programme (id); the first art round programme by default."),
            )
        ],
        responses={
            200: YearOnYearSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        summary=_("Every edition year on year, with the all-time totals (staff)"),
    )
    @action(detail=False, methods=["get"], url_path="year-on-year")
    def year_on_year(self, request, **kwargs):
        programmes = selectors.art_round_programmes()
        if "programme" in request.query_params:
            programme = _art_round_id(request, "programme", programmes)
            if programme is None:
                return Response(
                    {"detail": _("Give a programme of the art round: ?programme=<id>.")},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        else:
            programme = programmes.first()
        return Response(YearOnYearSerializer(selectors.year_on_year(programme)).data)


def register(router):
    """Register this module's routes."""
    router.register("visit-statistics", VisitStatisticsViewSet, basename="visit-statistics")
