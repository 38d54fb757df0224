"""Filters of the events core; EventFilter serves both the public event list and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from events.models import Event, Municipality, Period, Programme, Venue

# Ids are 64-bit integers; a larger number overflows SQLite's integer (a 500, not a 400).
LARGEST_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """Filter on the id of a related record, a whole number within the range of ids."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -LARGEST_ID)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


# What an empty choice says on the event list's form: every value, not "---------".
ALL = _("All")


def date_input() -> forms.DateInput:
    """Return a native date picker; its value is ISO, whatever the language shows."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="period__programme",
        to_field_name="slug",
        queryset=Programme.objects.order_by("name"),
        empty_label=ALL,
    )
    period = django_filters.ModelChoiceFilter(
        label=_("Edition or season"),
        queryset=Period.objects.select_related("programme").order_by("-start"),
        empty_label=ALL,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=ALL)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="venue__municipality",
        queryset=Municipality.objects.order_by("name", "-valid_from"),
        empty_label=ALL,
    )
    venue = IdFilter(label=_("Venue"), field_name="venue_id")
    date_from = django_filters.DateFilter(
        label=_("From date"), field_name="end", lookup_expr="date__gte", widget=date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("To date"), field_name="start", lookup_expr="date__lte", widget=date_input()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Event.Status.choices, empty_label=ALL
    )

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


class MunicipalityFilter(django_filters.FilterSet):
    valid_on = django_filters.DateFilter(
        label=_("Valid on"), method="filter_valid_on", help_text=_("Municipalities valid that day.")
    )
    county = django_filters.CharFilter(label=_("County"), lookup_expr="iexact")
    number = django_filters.CharFilter(label=_("Official number"))

    class Meta:
        model = Municipality
        fields = ["valid_on", "county", "number"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(Municipality.in_force_on(value))


class VenueFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all()
    )
    search = django_filters.CharFilter(
        label=_("Name contains"), field_name="name", lookup_expr="icontains"
    )

    class Meta:
        model = Venue
        fields = ["municipality", "search"]


class ProgrammeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Programme.Kind.choices)

    class Meta:
        model = Programme
        fields = ["kind"]


class PeriodFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), to_field_name="slug", queryset=Programme.objects.all()
    )

    class Meta:
        model = Period
        fields = ["programme"]
