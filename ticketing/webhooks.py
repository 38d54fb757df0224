"""The events ticketing tells webhooks about (core.webhooks), with their payloads: ids,
states and times, never an attendee's or a contact's name, email or phone."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.webhooks import register_event_type
from ticketing.models import Checkin, Registration

REGISTRATION_CREATED = "registration.created"
REGISTRATION_CANCELLED = "registration.cancelled"
REGISTRATION_WAITLIST_OFFERED = "registration.waitlist_offered"
TICKET_CHECKED_IN = "ticket.checked_in"


class RegistrationPayload(serializers.ModelSerializer):
    """A registration by id, with its event, state and times."""

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "state",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "waitlist_offer_expires_at",
        ]
        read_only_fields = fields


class CheckinPayload(serializers.ModelSerializer):
    """A ticket let in: the check-in, its list, the ticket, its registration and event."""

    registration = serializers.IntegerField(source="ticket.registration_id", read_only=True)
    event = serializers.IntegerField(source="checkin_list.event_id", read_only=True)

    class Meta:
        model = Checkin
        fields = ["id", "ticket", "registration", "event", "checkin_list", "scanned_at"]
        read_only_fields = fields


register_event_type(REGISTRATION_CREATED, _("Registration created"), RegistrationPayload)
register_event_type(REGISTRATION_CANCELLED, _("Registration cancelled"), RegistrationPayload)
register_event_type(REGISTRATION_WAITLIST_OFFERED, _("Waitlist place offered"), RegistrationPayload)
register_event_type(TICKET_CHECKED_IN, _("Ticket checked in"), CheckinPayload)
