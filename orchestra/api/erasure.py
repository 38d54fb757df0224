"""Erasure requests in the API: staff read them and complete them; guardians make them on
their page (orchestra.views.guardians)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ErrorSerializer
from orchestra.api.base import OrchestraViewSet
from orchestra.models import ErasureRequest
from orchestra.policies import MANAGE_ERASURE
from orchestra.selectors.erasure import erasure_requests
from orchestra.services.retention import complete_erasure


class ErasureRequestSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = ErasureRequest
        fields = [
            "id",
            "member",
            "guardian",
            "note",
            "requested_at",
            "completed_at",
            "completed_by",
            "is_open",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("Erasure requests")),
    retrieve=extend_schema(summary=_("An erasure request")),
)
class ErasureRequestViewSet(OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Requests to erase a member's data: staff only, open ones first."""

    policy = MANAGE_ERASURE
    serializer_class = ErasureRequestSerializer
    queryset = ErasureRequest.objects.none()
    filterset_fields = ["member"]

    def get_queryset(self):
        return self.reachable(erasure_requests())

    @extend_schema(
        request=None,
        responses={200: ErasureRequestSerializer, 400: ErrorSerializer},
        summary=_("Complete an erasure request: anonymise the member"),
        description=_(
            "The member leaves and is anonymised as by the retention rule; what the law "
            "lets us keep stays. A request already completed is an error."
        ),
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        erasure = complete_erasure(erasure=self.get_object(), by=request.user)
        return Response(ErasureRequestSerializer(erasure).data)


def register(router):
    """Register the erasure request routes."""
    router.register("erasure-requests", ErasureRequestViewSet, basename="erasure-request")
