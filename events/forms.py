"""Forms of the events core's staff pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue


class EventChangeForm(forms.Form):
    """An event's time, place and status, as staff change them (events.services.change_event)."""

    start = forms.DateTimeField(label=_("Starts"))
    end = forms.DateTimeField(label=_("Ends"))
    venue = forms.ModelChoiceField(
        label=_("Place"), queryset=Venue.objects.order_by("name"), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)

    @classmethod
    def for_event(cls, event: Event, data=None):
        return cls(
            data,
            initial={
                "start": event.start,
                "end": event.end,
                "venue": event.venue_id,
                "status": event.status,
            },
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return cleaned

    def has_any_change(self, event: Event) -> bool:
        data = self.cleaned_data
        venue = data["venue"].pk if data["venue"] else None
        return (data["start"], data["end"], venue, data["status"]) != (
            event.start,
            event.end,
            event.venue_id,
            event.status,
        )
