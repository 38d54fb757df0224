"""The event filters, shared by the public event list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import Event, Municipality, Period, Programme


class EventFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="period__programme",
        to_field_name="slug",
        queryset=Programme.objects.order_by("name"),
    )
    period = django_filters.ModelChoiceFilter(
        label=_("Edition or season"),
        queryset=Period.objects.select_related("programme").order_by("-start"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="venue__municipality",
        queryset=Municipality.objects.order_by("name", "-valid_from"),
    )
    venue = django_filters.NumberFilter(label=_("Venue"), field_name="venue_id")
    date_from = django_filters.DateFilter(
        label=_("From date"), field_name="end", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(
        label=_("To date"), field_name="start", lookup_expr="date__lte"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Event.Status.choices)

    class Meta:
        model = Event
        fields = [
            "programme",
            "period",
            "kind",
            "municipality",
            "venue",
            "date_from",
            "date_to",
            "status",
        ]
