"""The events the artists app tells webhooks about (core.webhooks): an application
submitted, a call's decisions released. Ids and times only: no statement, no outcome."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from artists.models import Application, Call
from core.webhooks import register_event_type

APPLICATION_SUBMITTED = "application.submitted"
DECISIONS_RELEASED = "decisions.released"


class ApplicationPayload(serializers.ModelSerializer):
    """An application by id, with its call, its artist and when it was submitted."""

    class Meta:
        model = Application
        fields = ["id", "call", "artist", "state", "submitted_at"]
        read_only_fields = fields


@dataclass(frozen=True)
class ReleasedDecisions:
    call: Call
    applications: list[int]
    released_at: datetime


class DecisionsReleasedPayload(serializers.Serializer):
    """A call's decisions released: which applications now have their answer (not which)."""

    call = serializers.IntegerField(source="call.pk")
    edition = serializers.IntegerField(source="call.period_id")
    applications = serializers.ListField(child=serializers.IntegerField())
    released_at = serializers.DateTimeField()


register_event_type(APPLICATION_SUBMITTED, _("Application submitted"), ApplicationPayload)
register_event_type(DECISIONS_RELEASED, _("Decisions released"), DecisionsReleasedPayload)
