"""The events the events app tells webhooks about (core.webhooks): an event changed or
cancelled, with what its public page shows."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.webhooks import emit, register_event_type
from events.models import Event

EVENT_CHANGED = "event.changed"
EVENT_CANCELLED = "event.cancelled"


class EventPayload(serializers.ModelSerializer):
    """An event's public fields, its revision (grows with each change) and its page."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title_nb",
            "title_en",
            "start",
            "end",
            "status",
            "venue",
            "period",
            "parent",
            "revision",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, event) -> str:
        return settings.SITE_URL + event.get_absolute_url()


register_event_type(EVENT_CHANGED, _("Event changed"), EventPayload)
register_event_type(EVENT_CANCELLED, _("Event cancelled"), EventPayload)


def event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs) -> None:
    """Tell webhooks that a public event's calendar fields changed, from any writer.

    A signal (post_save on Event), not a service call: events change through the API, the
    admin, the spreadsheet import and cancel_event() alike. It runs inside the save's
    transaction, before Event.save() takes its new snapshot, so the old values are still
    there to compare. A change of status to cancelled is event.cancelled; events only
    members or staff see are told about only as they become or stop being public.
    """
    if created or raw:
        return
    before = getattr(instance, "_calendar_snapshot", None)
    if not before:
        return
    after = instance._calendar_values()
    if before == after:
        return
    public = Event.Visibility.PUBLIC
    if public not in (before.get("visibility"), after.get("visibility")):
        return
    cancelled = Event.Status.CANCELLED
    if after.get("status") == cancelled and before.get("status") != cancelled:
        emit(EVENT_CANCELLED, instance)
    else:
        emit(EVENT_CHANGED, instance)
