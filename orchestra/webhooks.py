"""The events the orchestra tells webhooks about (core.webhooks): a member registered, a
member left. By the member's id only: never a child's name, birth date or contact, nor a
guardian's, nor why they left."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.webhooks import register_event_type
from orchestra.models import StatusChange

MEMBER_REGISTERED = "member.registered"
MEMBER_LEFT = "member.left"


class MemberStatusPayload(serializers.ModelSerializer):
    """A member (by id) and their new status from a date: applicant or trial, or left."""

    class Meta:
        model = StatusChange
        fields = ["member", "status", "since"]
        read_only_fields = fields


register_event_type(MEMBER_REGISTERED, _("Member registered"), MemberStatusPayload)
register_event_type(MEMBER_LEFT, _("Member left"), MemberStatusPayload)
