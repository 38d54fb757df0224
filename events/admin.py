"""The administration of programmes, periods, venues, municipalities and events."""

from django.contrib import admin, messages
from django.db.models import Count, F
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from core.admin import StaffReadOnlyAdmin
from core.spreadsheets import CSV, XLSX
from events.exceptions import EventsError
from events.models import ChangeNotice, Event, Municipality, Period, Programme, Venue
from events.notices import changes_by
from events.resources import EventResource, MunicipalityResource, VenueResource
from events.services import cancel_event, reinstate_event


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Import and export as CSV or XLSX (formula cells written as text: core.spreadsheets).

    Importing needs the add and change permissions of the model, exporting the
    view permission; the package's default lets every staff user do both.
    """

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


def municipality_label(municipality: Municipality) -> str:
    """Name a municipality with its number and years, as several rows share a name."""
    start = municipality.valid_from.year if municipality.valid_from else ""
    end = municipality.valid_to.year if municipality.valid_to else ""
    return f"{municipality.name} ({municipality.number}, {start}–{end})"


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force today")), ("no", _("Historical"))]

    def queryset(self, request, queryset):
        in_force = Municipality.in_force_on(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(in_force)
        if self.value() == "no":
            return queryset.exclude(in_force)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(SpreadsheetAdmin):
    resource_classes = [MunicipalityResource]
    list_display = ("name", "number", "county", "valid_from", "valid_to")
    list_filter = (InForceFilter, "county")
    search_fields = ("name", "number", "county")


@admin.register(Venue)
class VenueAdmin(SpreadsheetAdmin):
    resource_classes = [VenueResource]
    list_display = ("name", "address", "postcode", "place", "municipality_with_number", "capacity")
    list_select_related = ("municipality",)
    list_filter = ("municipality__county", "municipality__name")
    search_fields = ("name", "address", "postcode", "place", "municipality__name")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("municipality"), ordering="municipality__name")
    def municipality_with_number(self, venue):
        return municipality_label(venue.municipality)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "municipality":
            field.label_from_instance = municipality_label
        return field


class PeriodInline(admin.TabularInline):
    model = Period
    fields = ("name", "slug", "start", "end")
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PeriodInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "slug", "start", "end", "event_count")
    list_select_related = ("programme",)
    list_filter = ("programme",)
    search_fields = ("name", "slug", "programme__name")
    date_hierarchy = "start"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, period):
        return period.event_count


class SessionFormSet(BaseInlineFormSet):
    """Sessions belong to the edition or season of the event they are part of."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The parent as edited in this request, so that its model validation
        # compares the session with the period chosen in the same form.
        form.instance.parent = self.instance
        form.instance.period_id = self.instance.period_id
        return form


class SessionInline(admin.TabularInline):
    model = Event
    fk_name = "parent"
    formset = SessionFormSet
    fields = ("kind", "title_nb", "title_en", "start", "end", "venue", "visibility", "status")
    readonly_fields = ("status",)
    autocomplete_fields = ("venue",)
    extra = 0
    show_change_link = True
    verbose_name = _("session")
    verbose_name_plural = _("sessions")


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", _("Top-level events")), ("sessions", _("Sessions and parts"))]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sessions":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Event)
class EventAdmin(SpreadsheetAdmin):
    resource_classes = [EventResource]
    list_display = (
        "title_nb",
        "kind",
        "period",
        "start",
        "end",
        "venue",
        "parent",
        "status",
        "visibility",
        "revision",
    )
    list_select_related = ("period", "venue", "parent")
    list_filter = ("period__programme", "period", "kind", "status", "visibility", LevelFilter)
    search_fields = ("title_nb", "title_en", "uid", "venue__name")
    date_hierarchy = "start"
    autocomplete_fields = ("period", "parent", "venue")
    readonly_fields = ("status", "uid", "revision", "created_at", "updated_at", "notices")
    fieldsets = (
        (None, {"fields": ("period", "parent", "kind", "status", "visibility")}),
        (_("Time and place"), {"fields": ("start", "end", "venue", "notices")}),
        (
            _("Text"),
            {"fields": ("title_nb", "title_en", "description_nb", "description_en")},
        ),
        (_("Calendar"), {"fields": ("uid", "revision", "created_at", "updated_at")}),
    )
    inlines = [SessionInline]
    actions = ["cancel_selected", "reinstate_selected"]

    @admin.display(description=_("Notices"))
    def notices(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:change_event", args=[obj.pk]),
            _("Change time, place or status and see who will be told"),
        )

    # Saving here tells everyone concerned of a changed time, place or status
    # (events.notices), as made by the staff member who saves.
    def changeform_view(self, request, *args, **kwargs):
        with changes_by(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with changes_by(request.user):
            return super().changelist_view(request, *args, **kwargs)

    def get_inlines(self, request, obj):
        # A session cannot have sessions of its own.
        if obj is not None and obj.parent_id is not None:
            return []
        return super().get_inlines(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Only top-level events can be chosen as the event a session is part of.
        if request.GET.get("model_name") == "event" and request.GET.get("field_name") == "parent":
            queryset = queryset.filter(parent__isnull=True)
        return queryset, may_have_duplicates

    @admin.action(
        description=_("Cancel selected events and their sessions"), permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        cancelled = set()
        for event in queryset.order_by(F("parent_id").asc(nulls_first=True), "start", "pk"):
            if event.parent_id in cancelled:
                # Its parent was cancelled a moment ago and took it along.
                continue
            try:
                cancel_event(event=event)
            except EventsError as error:
                self.message_user(
                    request,
                    _("%(event)s: %(error)s") % {"event": event, "error": error},
                    messages.ERROR,
                )
            else:
                cancelled.add(event.pk)
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d event was cancelled.",
                    "%(count)d events were cancelled.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reinstate selected events"), permissions=["change"])
    def reinstate_selected(self, request, queryset):
        reinstated = 0
        for event in queryset.order_by(F("parent_id").asc(nulls_first=True), "start", "pk"):
            try:
                reinstate_event(event=event)
            except EventsError as error:
                self.message_user(
                    request,
                    _("%(event)s: %(error)s") % {"event": event, "error": error},
                    messages.ERROR,
                )
            else:
                reinstated += 1
        if reinstated:
            self.message_user(
                request,
                ngettext(
                    "%(count)d event was reinstated.",
                    "%(count)d events were reinstated.",
                    reinstated,
                )
                % {"count": reinstated},
                messages.SUCCESS,
            )


@admin.register(ChangeNotice)
class ChangeNoticeAdmin(StaffReadOnlyAdmin):
    """The change sets of events and when each was sent; recorded by events.notices only."""

    list_display = ("event", "first_changed_at", "due_at", "sent_at", "recipients", "quiet")
    list_select_related = ("event",)
    list_filter = ("quiet",)
    search_fields = ("event__title_nb",)
    date_hierarchy = "first_changed_at"
    fields = (
        "event",
        "before_start",
        "before_end",
        "before_venue_name",
        "before_status",
        "first_changed_at",
        "due_at",
        "changed_by",
        "quiet",
        "sent_at",
        "recipients",
    )
