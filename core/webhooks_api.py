"""Webhooks in the API (core.webhooks): endpoints to add, change and remove, and their
deliveries to read and replay. Staff only."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import webhooks
from core.api import InputOutputViewSet, documented_writes
from core.models import WebhookDelivery, WebhookEndpoint
from core.policies import STAFF


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """An endpoint as staff see it, its signing secret included."""

    event_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "active",
            "secret",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = fields


class WebhookEndpointInputSerializer(serializers.ModelSerializer):
    """What staff give: the address, the events, a description, on or off; ``new_secret``
    makes a new signing secret (the old one stops being valid at once)."""

    event_types = serializers.ListField(child=serializers.ChoiceField(choices=()), min_length=1)
    new_secret = serializers.BooleanField(default=False, write_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "active", "new_secret"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The apps register their event types when they are ready (core.webhooks).
        self.fields["event_types"].child.choices = webhooks.event_type_choices()

    def create(self, validated_data):
        validated_data.pop("new_secret", None)
        # Model and address errors (ValidationError) are field errors: core.api.exception_handler.
        return webhooks.create_endpoint(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return webhooks.update_endpoint(instance, by=self.context["request"].user, **validated_data)


@documented_writes(
    input_serializer=WebhookEndpointInputSerializer, output_serializer=WebhookEndpointSerializer
)
class WebhookEndpointViewSet(InputOutputViewSet):
    """The addresses told about events here, with their signing secrets. Staff only."""

    policy = STAFF
    queryset = WebhookEndpoint.objects.order_by("pk")
    serializer_class = WebhookEndpointSerializer
    input_serializer_class = WebhookEndpointInputSerializer


class WebhookDeliverySerializer(serializers.ModelSerializer):
    # The newest attempt's, from attempt_log.
    last_status = serializers.IntegerField(read_only=True, allow_null=True)
    last_response_ms = serializers.IntegerField(read_only=True, allow_null=True)
    last_response = serializers.CharField(read_only=True)
    last_attempt_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_type",
            "key",
            "status",
            "attempts",
            "attempt_log",
            "last_status",
            "last_response_ms",
            "last_response",
            "payload",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


class WebhookDeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WebhookDelivery.Status.choices)
    endpoint = django_filters.NumberFilter(label=_("Endpoint"), min_value=1)
    event_type = django_filters.CharFilter(label=_("Event"))

    class Meta:
        model = WebhookDelivery
        fields = ["status", "endpoint", "event_type"]


class WebhookDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Every event sent to an endpoint, newest first, with its attempts. Staff only."""

    policies = {"read": STAFF, "replay": STAFF}
    queryset = WebhookDelivery.objects.order_by("-created_at", "-pk")
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter

    @extend_schema(request=None, summary=_("Send a delivery again"))
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = webhooks.replay_delivery(self.get_object(), by=request.user)
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(self.get_serializer(delivery).data)


def register(router):
    router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
    router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
