"""Outbound messages in the API (core.mail): read them, resend a failed one. Staff only."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import mail
from core.models import OutboundMessage
from core.policies import STAFF


class OutboundMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboundMessage
        fields = [
            "id",
            "key",
            "kind",
            "recipient",
            "subject",
            "status",
            "attempts",
            "last_error",
            "about_app",
            "about_id",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class OutboundMessageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OutboundMessage.Status.choices)
    kind = django_filters.CharFilter(label=_("Kind"))

    class Meta:
        model = OutboundMessage
        fields = ["status", "kind"]


class OutboundMessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Every email the site sends, newest first, with its delivery status. Staff only."""

    policies = {"read": STAFF, "resend": STAFF}
    queryset = OutboundMessage.objects.defer("payload", "body", "html_body").order_by(
        "-created_at", "-pk"
    )
    serializer_class = OutboundMessageSerializer
    filterset_class = OutboundMessageFilter

    @extend_schema(request=None, summary=_("Send a failed message again"))
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        message = mail.resend_message(self.get_object(), by=request.user)
        message = self.get_queryset().get(pk=message.pk)
        return Response(self.get_serializer(message).data)


def register(router):
    router.register("outbound-messages", OutboundMessageViewSet, basename="outbound-message")
