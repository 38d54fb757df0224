"""Orchestra API: guest ensembles invited to the orchestra's events, with their contacts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from core.api import FullCleanModelSerializer, documented_writes
from events.models import Event, Programme
from orchestra.api.base import OrchestraViewSet
from orchestra.models import GuestEnsemble
from orchestra.policies import MANAGE_GUEST_ENSEMBLES


class GuestEnsembleSerializer(FullCleanModelSerializer):
    """Another orchestra invited to a weekend, a session or a concert, with its contact."""

    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.filter(period__programme__kind=Programme.Kind.ORCHESTRA),
        help_text=_("The weekend, session or concert (an event of an orchestra season), by id."),
    )

    class Meta(FullCleanModelSerializer.Meta):
        model = GuestEnsemble
        fields = [
            "id",
            "event",
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "players",
        ]


@documented_writes(
    input_serializer=GuestEnsembleSerializer, output_serializer=GuestEnsembleSerializer
)
class GuestEnsembleViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Guest ensembles of the orchestra's events. Their contacts are for staff only."""

    policy = MANAGE_GUEST_ENSEMBLES
    queryset = GuestEnsemble.objects.select_related("event").order_by("event__start", "name", "pk")
    serializer_class = GuestEnsembleSerializer
    filterset_fields = ["event"]


def register(router):
    """Register the guest ensemble routes."""
    router.register("guest-ensembles", GuestEnsembleViewSet, basename="guest-ensemble")
