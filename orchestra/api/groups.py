"""Orchestra API: instruments, groups per season and guest ensembles."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from core.api import FullCleanModelSerializer, documented_writes
from core.policies import LOGGED_IN, PUBLIC
from events.filters import IdFilter
from events.models import Period, Programme
from orchestra.api.base import OrchestraViewSet
from orchestra.models import Group, Instrument
from orchestra.policies import MANAGE_ORCHESTRA

# Instruments and groups -----------------------------------------------------------------


class InstrumentSerializer(FullCleanModelSerializer):
    class Meta(FullCleanModelSerializer.Meta):
        model = Instrument
        fields = ["id", "name_nb", "name_en", "section", "position"]


class GroupSerializer(FullCleanModelSerializer):
    """A group of one season, with the ages it is for."""

    season = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA),
        help_text=_("The season (an edition or season of an orchestra programme), by id."),
    )

    class Meta(FullCleanModelSerializer.Meta):
        model = Group
        fields = ["id", "season", "name", "slug", "min_age", "max_age", "description"]


@documented_writes(input_serializer=InstrumentSerializer, output_serializer=InstrumentSerializer)
class InstrumentViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Instruments and their sections, in score order. Logged-in users read; staff change."""

    policies = {"read": LOGGED_IN, "write": MANAGE_ORCHESTRA}
    queryset = Instrument.objects.order_by("position", "name_nb", "pk")
    serializer_class = InstrumentSerializer
    filterset_fields = ["section"]


class GroupFilter(django_filters.FilterSet):
    season = IdFilter(label=_("Season (id)"), field_name="season_id")

    class Meta:
        model = Group
        fields = ["season"]


@documented_writes(input_serializer=GroupSerializer, output_serializer=GroupSerializer)
class GroupViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """The orchestra's groups per season; their names are public. Staff change them."""

    policies = {"read": PUBLIC, "write": MANAGE_ORCHESTRA}
    queryset = Group.objects.order_by("-season__start", "-max_age", "name", "pk")
    serializer_class = GroupSerializer
    filterset_class = GroupFilter


def register(router):
    """Register the instrument and group routes."""
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("groups", GroupViewSet, basename="orchestra-group")
