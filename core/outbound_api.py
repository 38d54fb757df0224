"""Outbound messages in the API (core.mail): read them, resend a failed one. Staff only."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import mail, reach
from core.models import ContactPreference, FailingAddress, OutboundMessage
from core.policies import STAFF


class OutboundMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboundMessage
        fields = [
            "id",
            "key",
            "kind",
            "channel",
            "category",
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
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=OutboundMessage.Channel.choices
    )

    class Meta:
        model = OutboundMessage
        fields = ["status", "kind", "channel"]


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


class FailingAddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = FailingAddress
        fields = [
            "id",
            "channel",
            "address",
            "reason",
            "message",
            "failures",
            "first_failed_at",
            "last_failed_at",
        ]
        read_only_fields = fields


class FailingAddressViewSet(viewsets.ReadOnlyModelViewSet):
    """Email addresses and mobile numbers that messages could not reach for good
    (core.reach), newest failure first. Staff only."""

    policies = {"read": STAFF}
    queryset = reach.failing_addresses()
    serializer_class = FailingAddressSerializer


class ContactPreferenceSerializer(serializers.ModelSerializer):
    # Empty for a login's own preference (its address is the login's).
    email = serializers.CharField(read_only=True)

    class Meta:
        model = ContactPreference
        fields = ["id", "user", "email", "language", "mobile", "sms", "email_enabled", "muted"]
        read_only_fields = fields


class ContactPreferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """How each person is reached (core.reach): language, mobile number, channels and the
    categories they turned off. Staff only; a person sets theirs on their own page."""

    policies = {"read": STAFF}
    queryset = ContactPreference.objects.order_by("pk")
    serializer_class = ContactPreferenceSerializer


def register(router):
    router.register("outbound-messages", OutboundMessageViewSet, basename="outbound-message")
    router.register("failing-addresses", FailingAddressViewSet, basename="failing-address")
    router.register("contact-preferences", ContactPreferenceViewSet, basename="contact-preference")
