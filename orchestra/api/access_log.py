"""Orchestra API: the access log of children's medical notes and emergency contacts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from events.filters import IdFilter
from orchestra.api.base import MemberIdFilter, OrchestraViewSet
from orchestra.models import SensitiveDataAccess
from orchestra.policies import READ_ACCESS_LOG
from orchestra.selectors.access_log import access_log_visible_to


class SensitiveDataAccessSerializer(serializers.ModelSerializer):
    """One view or export of a child's medical notes or emergency contacts."""

    data = serializers.ListField(
        child=serializers.ChoiceField(choices=SensitiveDataAccess.Data.choices), read_only=True
    )

    class Meta:
        model = SensitiveDataAccess
        fields = ["id", "member", "viewer", "role", "data", "channel", "path", "accessed_at"]
        read_only_fields = fields


class SensitiveDataAccessFilter(MemberIdFilter):
    viewer = IdFilter(label=_("Viewer (login id)"), field_name="viewer_id")

    class Meta:
        model = SensitiveDataAccess
        fields = ["member", "viewer", "role", "channel"]


class SensitiveDataAccessViewSet(OrchestraViewSet, viewsets.ReadOnlyModelViewSet):
    """The access log of children's medical notes and emergency contacts: staff only."""

    policy = READ_ACCESS_LOG
    queryset = SensitiveDataAccess.objects.none()
    serializer_class = SensitiveDataAccessSerializer
    filterset_class = SensitiveDataAccessFilter

    def get_queryset(self):
        return self.reachable(access_log_visible_to(self.request.user)).order_by(
            "-accessed_at", "-pk"
        )


def register(router):
    """Register the access log's routes."""
    router.register(
        "sensitive-data-accesses", SensitiveDataAccessViewSet, basename="sensitive-data-access"
    )
