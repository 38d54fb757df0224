"""The administration of the youth orchestra: members with their instruments, groups,
guardians and status history; guardians; groups; instruments; consent texts and consents.

The admin is for staff. Member lists show names (staff may see them) but never medical
notes; those are on the member's own page. Writes that carry a rule (status, consents)
go through orchestra.services.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from import_export.results import RowResult

from core.admin import AuditedModelAdmin
from events.admin import SpreadsheetAdmin
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    Attendance,
    CalendarToken,
    ConsentAcceptance,
    ConsentText,
    ConsentWithdrawal,
    ErasureRequest,
    Group,
    Guardian,
    Guardianship,
    GuestEnsemble,
    Instrument,
    LeaveOfAbsence,
    MasterClassSignUp,
    Member,
    MemberCard,
    MemberInstrument,
    Membership,
    SensitiveDataAccess,
    SessionPlan,
    StatusChange,
)
from orchestra.models.tours import Tour, TourCost, TourParticipant
from orchestra.resources import GuardianResource, MemberResource, MemberWithMedicalNotesResource
from orchestra.selectors import with_current_status
from orchestra.services.access_log import record_sensitive_access
from orchestra.services.attendance import save_session_plan


class LogsSensitiveChangePage:
    """For admin change pages that show a child's medical notes or emergency contacts:
    each time one is shown, the access log records it (orchestra.services.access_log)."""

    def sensitive_seen_on(self, object_id) -> dict[int, tuple[str, ...]]:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and object_id:
            record_sensitive_access(
                viewer=request.user,
                seen=self.sensitive_seen_on(object_id),
                path=request.path,
                channel=SensitiveDataAccess.Channel.ADMIN,
            )
        return response


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "name_en", "section", "position")
    list_editable = ("position",)
    list_filter = ("section",)
    search_fields = ("name_nb", "name_en")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "season", "slug", "min_age", "max_age")
    list_select_related = ("season",)
    list_filter = ("season",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class MemberInstrumentInline(admin.TabularInline):
    model = MemberInstrument
    extra = 0
    autocomplete_fields = ("instrument",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("group", "joined_on", "left_on")


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ("guardian",)


class StatusChangeInline(admin.TabularInline):
    """The history is appended to, never edited: a wrong entry is followed by a right one."""

    model = StatusChange
    extra = 0
    fields = ("status", "since", "reason", "note", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False
    ordering = ("-since", "-recorded_at", "-pk")

    def has_add_permission(self, request, obj=None):
        return False


class ConsentInline(admin.TabularInline):
    model = ConsentAcceptance
    extra = 0
    fields = ("text", "capacity", "guardian", "accepted_by", "accepted_at", "withdrawn_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("text", "guardian", "withdrawal")

    @admin.display(description=_("withdrawn"))
    def withdrawn_at(self, consent):
        withdrawal = getattr(consent, "withdrawal", None)
        return withdrawal.withdrawn_at if withdrawal else "–"

    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return StatusChange.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_status=self.value())
        return queryset


class NamelessLogMixin:
    """Write the admin's history of members as "member <id>", never with the child's name.

    Django and django-import-export name a record in its LogEntry by ``str(obj)``, and
    the admin's "recent actions" show it; for children the id is enough.
    """

    def _log(self, request, object_ids, action_flag, message=""):
        if isinstance(message, list):
            message = json.dumps(message)
        content_type = ContentType.objects.get_for_model(self.model)
        entries = LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type_id=content_type.pk,
                object_id=str(object_id),
                object_repr=f"{self.model._meta.model_name} {object_id}",
                action_flag=action_flag,
                change_message=message,
            )
            for object_id in object_ids
        )
        return entries

    def log_addition(self, request, obj, message):
        return self._log(request, [obj.pk], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj.pk], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, [obj.pk for obj in queryset], DELETION)

    def generate_log_entries(self, result, request):
        flags = {
            RowResult.IMPORT_TYPE_NEW: ADDITION,
            RowResult.IMPORT_TYPE_UPDATE: CHANGE,
            RowResult.IMPORT_TYPE_DELETE: DELETION,
        }
        for import_type, flag in flags.items():
            ids = [row.object_id for row in result if row.import_type == import_type]
            if ids:
                self._log(request, ids, flag, _("Imported from a spreadsheet."))


@admin.register(Member)
class MemberAdmin(LogsSensitiveChangePage, NamelessLogMixin, AuditedModelAdmin, SpreadsheetAdmin):
    resource_classes = [MemberResource, MemberWithMedicalNotesResource]
    list_display = (
        "last_name",
        "first_name",
        "birth_date",
        "municipality",
        "current_status_label",
        "has_login",
    )
    list_select_related = ("municipality",)
    list_filter = (CurrentStatusFilter, "memberships__group", "origin", "municipality")
    search_fields = ("first_name", "last_name", "origin_name")
    autocomplete_fields = ("municipality", "user")
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "birth_date", "gender", "municipality")}),
        (_("Background"), {"fields": ("origin", "origin_name", "years_played")}),
        (_("Consents and health"), {"fields": ("photo_consent", "medical_notes")}),
        (_("Login and record"), {"fields": ("user", "created_at", "anonymised_at")}),
    )
    # The photo flag follows the photo consent (orchestra.selectors.consents): it changes
    # when a consent is given or withdrawn, never by hand.
    readonly_fields = ("photo_consent", "created_at", "anonymised_at")
    inlines = [
        MemberInstrumentInline,
        MembershipInline,
        GuardianshipInline,
        StatusChangeInline,
        ConsentInline,
    ]
    actions = ["mark_active", "mark_on_leave"]

    def get_queryset(self, request):
        return with_current_status(super().get_queryset(request))

    def get_import_resource_classes(self, request):
        # Medical notes are never imported from a sheet.
        return [MemberResource]

    def sensitive_seen_on(self, object_id):
        member = Member.objects.filter(pk=object_id).values_list("pk", flat=True).first()
        return {member: (SensitiveDataAccess.Data.MEDICAL_NOTES,)} if member else {}

    def get_data_for_export(self, request, queryset, **kwargs):
        """Record the export of medical notes in the access log: one row per member."""
        data = super().get_data_for_export(request, queryset, **kwargs)
        chosen = self.choose_export_resource_class(kwargs.get("export_form"), request)
        if issubclass(chosen, MemberWithMedicalNotesResource):
            record_sensitive_access(
                viewer=request.user,
                seen=dict.fromkeys(
                    queryset.values_list("pk", flat=True), (SensitiveDataAccess.Data.MEDICAL_NOTES,)
                ),
                path=request.path,
                channel=SensitiveDataAccess.Channel.EXPORT,
            )
        return data

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.status_changes.exists():
            services.set_status(
                member=form.instance,
                status=StatusChange.Status.APPLICANT,
                by=request.user,
            )

    @admin.display(description=_("status"), ordering="current_status")
    def current_status_label(self, member):
        if not member.current_status:
            return "–"
        return StatusChange.Status(member.current_status).label

    @admin.display(description=_("own login"), boolean=True)
    def has_login(self, member):
        return member.user_id is not None

    def _set_status(self, request, queryset, status):
        done = 0
        for member in queryset:
            try:
                services.set_status(member=member, status=status, by=request.user)
            except OrchestraError as error:
                self.message_user(
                    request,
                    _("Member %(id)s: %(error)s") % {"id": member.pk, "error": error},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d status changes recorded.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Mark selected members active"), permissions=["change"])
    def mark_active(self, request, queryset):
        self._set_status(request, queryset, StatusChange.Status.ACTIVE)

    @admin.action(description=_("Mark selected members on leave"), permissions=["change"])
    def mark_on_leave(self, request, queryset):
        self._set_status(request, queryset, StatusChange.Status.ON_LEAVE)


class StatusChangeForm(forms.ModelForm):
    class Meta:
        model = StatusChange
        fields = ("member", "status", "since", "reason", "note")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_status_change(
                member=cleaned["member"],
                status=cleaned["status"],
                since=cleaned["since"],
                reason=cleaned.get("reason", ""),
            )
        except OrchestraError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(StatusChange)
class StatusChangeAdmin(AuditedModelAdmin):
    """Status changes, added through the same service as the API (leaving closes groups)."""

    form = StatusChangeForm

    list_display = ("member", "status", "since", "reason", "recorded_by", "recorded_at")
    list_select_related = ("member", "recorded_by")
    list_filter = ("status", "reason")
    autocomplete_fields = ("member",)
    fields = ("member", "status", "since", "reason", "note")
    date_hierarchy = "since"

    def has_change_permission(self, request, obj=None):
        # The history is appended to, not rewritten.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        saved = services.set_status(
            member=obj.member,
            status=obj.status,
            since=obj.since,
            reason=obj.reason,
            note=obj.note,
            by=request.user,
        )
        obj.pk = saved.pk


class GuardianChildrenInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ("member",)
    verbose_name = _("child")
    verbose_name_plural = _("children")


@admin.register(Guardian)
class GuardianAdmin(AuditedModelAdmin, SpreadsheetAdmin):
    resource_classes = [GuardianResource]
    list_display = ("last_name", "first_name", "email", "phone", "has_login")
    search_fields = ("first_name", "last_name", "email", "phone")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
    inlines = [GuardianChildrenInline]
    actions = ["create_logins"]

    @admin.display(description=_("login"), boolean=True)
    def has_login(self, guardian):
        return guardian.user_id is not None

    @admin.action(description=_("Give selected guardians a login"), permissions=["change"])
    def create_logins(self, request, queryset):
        made = 0
        for guardian in queryset.filter(user__isnull=True):
            try:
                services.create_guardian_login(guardian=guardian, by=request.user)
            except OrchestraError as error:
                self.message_user(request, f"{guardian.email}: {error}", messages.ERROR)
            else:
                made += 1
        self.message_user(
            request, _("%(count)d logins created.") % {"count": made}, messages.SUCCESS
        )


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Consent texts: drafts are edited; a published version is fixed, and a new one is added."""

    list_display = ("kind", "version", "published_at", "acceptance_count")
    list_filter = ("kind",)
    readonly_fields = ("version", "published_at", "created_at")
    fields = ("kind", "version", "text_nb", "text_en", "published_at", "created_at")
    actions = ["publish"]

    @admin.display(description=_("acceptances"))
    def acceptance_count(self, text):
        return text.acceptances.count()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fields
        if obj is not None:
            return (*self.readonly_fields, "kind")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_consent_text(text=obj, text_nb=obj.text_nb, text_en=obj.text_en)
            return
        created = services.create_consent_text(
            kind=obj.kind, text_nb=obj.text_nb, text_en=obj.text_en
        )
        obj.pk, obj.version = created.pk, created.version

    @admin.action(description=_("Publish selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        for text in queryset.filter(published_at__isnull=True):
            services.publish_consent_text(text=text)


@admin.register(ConsentAcceptance)
class ConsentAcceptanceAdmin(AuditedModelAdmin):
    """Consents are given by guardians and members, or recorded through the API: read-only here."""

    list_display = ("text", "member", "capacity", "guardian", "accepted_at")
    list_select_related = ("text", "member", "guardian")
    list_filter = ("text__kind", "capacity")
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConsentWithdrawal)
class ConsentWithdrawalAdmin(admin.ModelAdmin):
    """Withdrawals are made by guardians and members on their pages: read-only here, as
    the history of who withdrew which consent of which version, and when."""

    list_display = ("acceptance", "member_id", "capacity", "guardian", "withdrawn_at")
    list_select_related = ("acceptance__text", "guardian")
    list_filter = ("acceptance__text__kind", "capacity")
    date_hierarchy = "withdrawn_at"

    @admin.display(description=_("member"), ordering="acceptance__member_id")
    def member_id(self, withdrawal):
        return withdrawal.acceptance.member_id

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SensitiveDataAccess)
class SensitiveDataAccessAdmin(admin.ModelAdmin):
    """The access log of children's medical notes and emergency contacts: read-only. The
    member is shown by id (the log never names a child); filter by member or viewer."""

    list_display = ("accessed_at", "member_id", "viewer", "role", "data", "channel", "path")
    list_select_related = ("viewer",)
    list_filter = ("role", "channel")
    search_fields = ("=member__id", "=viewer__id", "viewer__username")
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuestEnsembleInline(admin.TabularInline):
    model = GuestEnsemble
    extra = 0


@admin.register(SessionPlan)
class SessionPlanAdmin(admin.ModelAdmin):
    """Which groups and sections attend a session, and its tutors."""

    list_display = ("event", "sections")
    list_select_related = ("event",)
    list_filter = ("groups__season", "groups")
    search_fields = ("event__title_nb",)
    autocomplete_fields = ("event",)
    filter_horizontal = ("groups", "tutors")

    def save_model(self, request, obj, form, change):
        """Leave the saving to save_related(): the plan is saved with its groups and
        tutors by the service, which makes the tutors hosts of the session."""

    def save_related(self, request, form, formsets, change):
        save_session_plan(
            plan=form.instance,
            groups=form.cleaned_data["groups"],
            tutors=form.cleaned_data["tutors"],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Attendance)
class AttendanceAdmin(AuditedModelAdmin):
    """Answers and attendance are recorded on the leader's and guardians' pages."""

    list_display = ("session", "member_id", "reply", "reason", "status", "recorded_at")
    list_select_related = ("session",)
    list_filter = ("status", "reply", "session__period")
    raw_id_fields = ("member", "session", "checkin")
    readonly_fields = ("replied_by", "replied_at", "recorded_by", "recorded_at")


@admin.register(LeaveOfAbsence)
class LeaveOfAbsenceAdmin(AuditedModelAdmin):
    list_display = ("member_id", "starts_on", "ends_on", "reason")
    list_filter = ("reason",)
    raw_id_fields = ("member",)
    readonly_fields = ("created_by", "created_at")


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Only the hash is stored: staff can revoke a private feed here, never read it."""

    list_display = ("__str__", "name", "created_at", "last_used_at")
    readonly_fields = ("guardian", "member", "name", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False


@admin.register(GuestEnsemble)
class GuestEnsembleAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "players", "contact_name")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)


@admin.register(MasterClassSignUp)
class MasterClassSignUpAdmin(AuditedModelAdmin):
    """Sign-ups are made on the master class pages; here staff see which registration is
    whose (ids only: members are children)."""

    list_display = ("event", "member_id", "registration", "updated_at")
    list_select_related = ("event", "registration")
    list_filter = ("event__period",)
    raw_id_fields = ("event", "member", "registration", "signed_up_by")
    readonly_fields = ("updated_at",)


@admin.register(MemberCard)
class MemberCardAdmin(AuditedModelAdmin):
    """Cards are issued from the member card page; here staff can see and remove them."""

    list_display = ("member_id", "season", "ticket", "issued_at")
    list_filter = ("season",)
    raw_id_fields = ("member", "ticket")
    readonly_fields = ("issued_at",)


# Tours --------------------------------------------------------------------------------------


class TourCostInline(admin.TabularInline):
    model = TourCost
    extra = 0


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    """A tour of an event of kind tour; its itinerary is the event's sessions. Participants
    are on their own list; the tour page (orkester/turne/<id>/) shows checklists, the ratio
    and the budget against costs."""

    list_display = ("event", "destination", "time_zone", "budget")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    inlines = [TourCostInline]


@admin.register(TourParticipant)
class TourParticipantAdmin(LogsSensitiveChangePage, NamelessLogMixin, AuditedModelAdmin):
    """Participants by role and checklist; a player is shown by member id only."""

    list_display = (
        "__str__",
        "tour",
        "role",
        "member_id",
        "name",
        "passport_valid_until",
        "ehic",
        "share_paid",
        "police_certificate_seen_on",
    )
    list_select_related = ("tour__event",)
    list_filter = ("tour", "role", "ehic", "share_paid")
    search_fields = ("name", "email")
    raw_id_fields = ("member", "user")
    readonly_fields = ("added_at",)

    def sensitive_seen_on(self, object_id):
        member = (
            TourParticipant.objects.filter(pk=object_id).values_list("member_id", flat=True).first()
        )
        Data = SensitiveDataAccess.Data
        return {member: (Data.TRIP_MEDICAL_NOTES, Data.EMERGENCY_CONTACTS)} if member else {}


@admin.register(ErasureRequest)
class ErasureRequestAdmin(AuditedModelAdmin):
    """Guardians make requests on their page; staff complete them on the request's page
    (/stab/orkester/sletting/<id>/), through the same service as the retention rule."""

    list_display = ("__str__", "member", "requested_at", "completed_at")
    list_select_related = ("member",)
    list_filter = (("completed_at", admin.EmptyFieldListFilter),)
    date_hierarchy = "requested_at"
    fields = ("member", "guardian", "note", "requested_at", "completed_at", "completed_by")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
