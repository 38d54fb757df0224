"""The administration of Kunst rett vest: plain records; workflows have pages of their own."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from artists.models import (
    Application,
    ApplicationImage,
    Artist,
    ArtistImage,
    ArtSale,
    Call,
    Conflict,
    Criterion,
    Decision,
    DecisionChange,
    Discipline,
    Exhibition,
    ExhibitionHours,
    Letter,
    LetterTemplate,
    QrVisit,
    ReportedFigures,
    Review,
    ReviewPhase,
    Score,
    Studio,
    StudioHours,
    TallyCorrection,
    TallyReminder,
    VisitTally,
    Work,
)
from artists.resources import ArtistResource
from artists.services import studios as studio_services
from core.admin import AuditedModelAdmin
from events.admin import SpreadsheetAdmin
from events.models import Period


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "name_en", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}


class ArtistImageInline(admin.TabularInline):
    """Work images are uploaded by the artist or the API, which check them and strip EXIF."""

    model = ArtistImage
    extra = 0
    fields = ("image", "title", "year", "technique", "dimensions", "is_public", "position")
    readonly_fields = ("image",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Artist)
class ArtistAdmin(AuditedModelAdmin, SpreadsheetAdmin):
    """Artists, with import of earlier participants and export (CSV, XLSX).

    The portrait is uploaded on the profile page or through the API, which check it.
    """

    resource_classes = [ArtistResource]
    exclude = ("portrait",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "email", "home_municipality", "studio_municipality", "user")
    list_select_related = ("home_municipality", "studio_municipality", "user")
    list_filter = ("disciplines", "is_professional")
    search_fields = ("name", "email", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("user",)
    filter_horizontal = ("disciplines",)
    inlines = [ArtistImageInline]


class ReviewPhaseInline(admin.TabularInline):
    model = ReviewPhase
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("name_nb", "name_en", "weight", "scale", "lowest", "highest", "position")


class LetterTemplateInline(admin.StackedInline):
    model = LetterTemplate
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("period", "opens_at", "closes_at", "invitation_only")
    list_select_related = ("period", "period__programme")
    filter_horizontal = ("eligible_municipalities", "jurors")
    autocomplete_fields = ("invited",)
    inlines = [ReviewPhaseInline, CriterionInline, LetterTemplateInline]


class ApplicationImageInline(admin.TabularInline):
    model = ApplicationImage
    extra = 0
    autocomplete_fields = ("image",)


@admin.register(ArtistImage)
class ArtistImageAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "year", "is_public")
    readonly_fields = ("image",)

    def has_add_permission(self, request):
        return False

    list_select_related = ("artist",)
    search_fields = ("title", "artist__name")


@admin.register(Application)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ("artist", "call", "state", "submitted_at")
    list_select_related = ("artist", "call", "call__period")
    list_filter = ("state", "call")
    search_fields = ("artist__name",)
    readonly_fields = ("created_at", "updated_at", "submitted_at", "withdrawn_at")
    inlines = [ApplicationImageInline]


@admin.register(Conflict)
class ConflictAdmin(AuditedModelAdmin):
    list_display = ("application", "juror", "source", "created_at")
    list_select_related = ("application__artist", "application__call__period", "juror")
    list_filter = ("source",)


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(AuditedModelAdmin):
    list_display = ("application", "juror", "weighted_score", "is_complete", "updated_at")
    list_select_related = ("application__artist", "application__call__period", "juror")
    list_filter = ("is_complete",)
    readonly_fields = ("weighted_score", "is_complete")
    inlines = [ScoreInline]


class DecisionChangeInline(admin.TabularInline):
    model = DecisionChange
    extra = 0
    readonly_fields = ("from_outcome", "to_outcome", "note", "changed_by", "changed_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    """Decisions are made on the decisions page, which keeps their history; here they are read."""

    list_display = ("application", "outcome", "released_at", "decided_by")
    list_select_related = ("application__artist", "application__call__period", "decided_by")
    list_filter = ("outcome", "application__call")
    readonly_fields = ("application", "outcome", "released_at", "decided_by", "updated_at")
    inlines = [DecisionChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("subject", "to_email", "created_at", "sent_at")
    list_select_related = ("application",)
    list_filter = ("sent_at",)
    readonly_fields = ("application", "sent_at", "sent_by", "created_at")


class ExhibitionHoursInline(admin.TabularInline):
    model = ExhibitionHours
    extra = 0


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ("event", "role", "host_municipality")
    list_select_related = ("event__period", "host_municipality")
    list_filter = ("role", "event__period")
    autocomplete_fields = ("event",)
    filter_horizontal = ("organising_municipalities",)
    inlines = [ExhibitionHoursInline]


@admin.register(Work)
class WorkAdmin(AuditedModelAdmin):
    """Staff place artists in project rooms or at a shared venue here."""

    list_display = (
        "title",
        "artist",
        "edition",
        "for_sale",
        "price",
        "project_room",
        "shared_venue",
    )
    list_select_related = ("artist", "edition", "shared_venue")
    list_filter = ("edition", "for_sale")
    list_editable = ("project_room",)
    search_fields = ("title", "artist__name")
    autocomplete_fields = ("artist", "shared_venue")
    readonly_fields = ("created_at", "updated_at")


class StudioHoursInline(admin.TabularInline):
    model = StudioHours
    extra = 0


@admin.register(Studio)
class StudioAdmin(AuditedModelAdmin):
    list_display = ("number", "venue", "edition", "is_published", "step_free")
    list_display_links = ("venue",)
    list_select_related = ("venue", "edition")
    list_filter = ("edition", "is_published", "step_free")
    search_fields = ("venue__name", "artists__name")
    autocomplete_fields = ("venue", "artists")
    inlines = [StudioHoursInline]
    actions = ["number_editions", "publish_editions"]

    def _editions(self, queryset):
        return Period.objects.filter(pk__in=queryset.values("edition")).order_by("start")

    @admin.action(
        description=_("Number all studios of the selected studios' editions (published stay)"),
        permissions=["change"],
    )
    def number_editions(self, request, queryset):
        for edition in self._editions(queryset):
            studio_services.number_studios(edition=edition)
        self.message_user(request, _("The studios are numbered."), messages.SUCCESS)

    @admin.action(
        description=_("Number and publish all studios of the selected studios' editions"),
        permissions=["change"],
    )
    def publish_editions(self, request, queryset):
        for edition in self._editions(queryset):
            studio_services.publish_studio_numbers(edition=edition)
        self.message_user(
            request, _("The studio numbers are published and will not change."), messages.SUCCESS
        )


class TallyCorrectionInline(admin.TabularInline):
    """A tally's history: written by the correction service only."""

    model = TallyCorrection
    extra = 0
    fields = ("changed_at", "changed_by", "before", "after", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VisitTally)
class VisitTallyAdmin(admin.ModelAdmin):
    """Tallies are recorded and corrected on the tally pages, which keep the history."""

    list_display = (
        "date",
        "studio",
        "exhibition",
        "category",
        "visitors",
        "pupils",
        "recorded_by",
        "voided_at",
    )
    list_select_related = ("studio__venue", "exhibition__event", "recorded_by")
    list_filter = ("edition", "category", "date")
    date_hierarchy = "date"
    inlines = [TallyCorrectionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QrVisit)
class QrVisitAdmin(admin.ModelAdmin):
    list_display = ("date", "studio", "exhibition", "registered_at")
    list_select_related = ("studio__venue", "exhibition__event")
    list_filter = ("edition", "date")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArtSale)
class ArtSaleAdmin(admin.ModelAdmin):
    list_display = ("sold_on", "artist", "work", "description", "amount", "edition")
    list_select_related = ("artist", "work", "edition")
    list_filter = ("edition",)
    search_fields = ("artist__name", "description")
    autocomplete_fields = ("artist",)
    raw_id_fields = ("work",)
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(TallyReminder)
class TallyReminderAdmin(admin.ModelAdmin):
    list_display = ("date", "studio", "exhibition", "sent_at", "sent_by", "recipients")
    list_select_related = ("studio__venue", "exhibition__event", "sent_by")
    list_filter = ("edition",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportedFigures)
class ReportedFiguresAdmin(admin.ModelAdmin):
    """Totals of editions counted outside Kulturvest (before it existed)."""

    list_display = (
        "edition",
        "joint_exhibition_visits",
        "joint_exhibition_pupils",
        "local_exhibition_visits",
        "studio_visits",
        "open_studios",
        "art_sales",
    )
    list_select_related = ("edition",)
