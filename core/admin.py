"""The audit trail in the administration: its own read-only list, and the history page of
every record whose admin uses AuditedModelAdmin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core import audit, webhooks
from core.mail import resend_message
from core.models import (
    Answer,
    AuditEntry,
    ContactPreference,
    FailingAddress,
    GroupMessage,
    GroupMessageRecipient,
    OutboundMessage,
    Question,
    QuestionSet,
    WebhookDelivery,
    WebhookEndpoint,
)
from core.roles import is_staff_member
from core.webhooks import replay_delivery


class StaffAdmin(admin.ModelAdmin):
    """A platform record staff keep (not a model permission of a role group): staff see,
    add, change and delete it; its actions declare ``permissions=["staff"]``."""

    def has_staff_permission(self, request) -> bool:
        return is_staff_member(request.user)

    def has_module_permission(self, request):
        return self.has_staff_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_staff_permission(request)

    def has_add_permission(self, request):
        return self.has_staff_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_staff_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_staff_permission(request)


class StaffReadOnlyAdmin(StaffAdmin):
    """A record the site writes itself: staff read it; nobody adds, changes or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(StaffReadOnlyAdmin):
    """The whole trail, for staff to read; nobody writes or deletes an entry by hand."""

    list_display = ("at", "action", "object_repr", "actor")
    list_select_related = ("actor",)
    list_filter = ("action", "content_type")
    search_fields = ("action", "object_repr")
    date_hierarchy = "at"
    fields = ("at", "actor", "action", "content_type", "object_id", "object_repr", "changes")
    readonly_fields = fields


class AuditedModelAdmin(admin.ModelAdmin):
    """An admin whose saves and deletes leave audit entries, and whose history page (the
    "History" link of a change page) lists the record's audit entries.

    Entries are named ``<app>.<model>.created|updated|deleted``, with ``"via": "admin"``
    in their changes. Use it for the records that concern people; put it before other
    admin bases that override the same methods (``NamelessLogMixin``).
    """

    object_history_template = "admin/core/audit_history.html"

    def _action(self, verb: str) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}.{verb}"

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = audit.field_values(stored) if stored else {}
        super().save_model(request, obj, form, change)
        # Logged once the inlines are saved too (save_related), in one entry.
        obj._audit_changes = audit.diff(obj, before) if change else audit.created(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not hasattr(obj, "_audit_changes"):
            return  # the admin's save_model went through a service, which logged it
        changes = obj._audit_changes
        for formset in formsets:
            if formset.has_changed():
                changes[formset.model._meta.model_name] = audit.CHANGED
        audit.log_action(
            obj,
            self._action("updated" if change else "created"),
            by=request.user,
            changes={"via": "admin", **changes},
        )

    def delete_model(self, request, obj):
        audit.log_action(obj, self._action("deleted"), by=request.user, changes={"via": "admin"})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One insert for the whole selection, however many rows it holds.
        audit.log_actions(
            queryset, self._action("deleted"), by=request.user, changes={"via": "admin"}
        )
        super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        """List the record's audit entries, newest first (staff who may view it)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not is_staff_member(request.user) or not self.has_view_or_change_permission(
            request, obj
        ):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % audit.object_label(obj),
            "subtitle": None,
            "entries": audit.history_of(obj),
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "object": obj,
            "object_label": audit.object_label(obj),
            "opts": opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(StaffReadOnlyAdmin, AuditedModelAdmin):
    """Every email the site sends: read-only; a failed one can be sent again."""

    list_display = ("created_at", "kind", "channel", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "category", "kind")
    search_fields = ("key", "recipient", "subject")
    date_hierarchy = "created_at"
    fields = (
        "key",
        "kind",
        "channel",
        "category",
        "provider_ref",
        "recipient",
        "subject",
        "body",
        "html_body",
        "about_app",
        "about_id",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "queued_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["resend"]

    @admin.action(description=_("Send the chosen failed messages again"), permissions=["staff"])
    def resend(self, request, queryset):
        for message in queryset.filter(status=OutboundMessage.Status.FAILED):
            resend_message(message, by=request.user)
        self.message_user(request, _("The failed messages are queued again."))


class WebhookEndpointAdminForm(forms.ModelForm):
    """The admin's form checks the address and the events as the staff page does."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "active"]

    def clean(self):
        cleaned = super().clean()
        candidate = WebhookEndpoint(
            url=cleaned.get("url") or "", event_types=cleaned.get("event_types") or []
        )
        try:
            webhooks.check_endpoint(candidate)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(StaffAdmin, AuditedModelAdmin):
    """Endpoints told about events; the staff page (core:webhook_endpoints) does the same."""

    form = WebhookEndpointAdminForm
    list_display = ("url", "description", "active", "consecutive_failures", "disabled_at")
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = ("secret", "consecutive_failures", "disabled_at", "disabled_reason")

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(StaffReadOnlyAdmin, AuditedModelAdmin):
    """Every event sent to an endpoint: read-only; one can be sent again."""

    list_display = ("created_at", "event_type", "endpoint", "status", "attempts", "last_status")
    list_select_related = ("endpoint",)
    list_filter = ("status", "event_type")
    search_fields = ("key", "event_type")
    date_hierarchy = "created_at"
    fields = (
        "endpoint",
        "event_type",
        "key",
        "payload",
        "status",
        "attempts",
        "attempt_log",
        "last_status",
        "last_response_ms",
        "last_response",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    )
    readonly_fields = fields
    actions = ["replay"]

    @admin.action(description=_("Send the chosen deliveries again"), permissions=["staff"])
    def replay(self, request, queryset):
        for delivery in queryset:
            replay_delivery(delivery, by=request.user)
        self.message_user(request, _("The deliveries are queued to be sent again."))


@admin.register(ContactPreference)
class ContactPreferenceAdmin(StaffReadOnlyAdmin):
    """How each person is reached (core.reach): they set it themselves, staff read it."""

    list_display = ("pk", "user", "language", "sms", "email_enabled", "updated_at")
    list_select_related = ("user",)
    list_filter = ("language", "sms", "email_enabled")
    search_fields = ("user__email", "email")
    fields = ("user", "email", "language", "mobile", "sms", "email_enabled", "muted", "updated_at")
    readonly_fields = fields


@admin.register(FailingAddress)
class FailingAddressAdmin(StaffReadOnlyAdmin):
    """Addresses and numbers that messages could not reach (core.reach): read-only; a
    message that reaches one removes it."""

    list_display = ("last_failed_at", "channel", "address", "failures", "reason")
    list_filter = ("channel",)
    search_fields = ("address",)
    fields = (
        "channel",
        "address",
        "reason",
        "message",
        "failures",
        "first_failed_at",
        "last_failed_at",
    )
    readonly_fields = fields


class GroupMessageRecipientInline(admin.TabularInline):
    model = GroupMessageRecipient
    fields = (
        "label",
        "role",
        "email",
        "mobile",
        "language",
        "skipped",
        "email_message",
        "sms_message",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)


@admin.register(GroupMessage)
class GroupMessageAdmin(StaffReadOnlyAdmin, AuditedModelAdmin):
    """Messages to groups, read-only: staff write and send them on their own pages
    (core.group_messages), where the preview and the report are."""

    list_display = ("created_at", "subject_nb", "audience_label", "category", "status", "sent_at")
    list_filter = ("status", "category", "audience")
    list_select_related = ("sender",)
    search_fields = ("subject_nb", "subject_en", "audience_label")
    date_hierarchy = "created_at"
    fields = (
        "sender",
        "reply_to",
        "audience",
        "audience_params",
        "audience_label",
        "category",
        "subject_nb",
        "text_nb",
        "subject_en",
        "text_en",
        "sms_text",
        "status",
        "scheduled_at",
        "sent_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = [GroupMessageRecipientInline]


class QuestionInline(admin.StackedInline):
    model = Question
    fk_name = "question_set"
    extra = 0
    fields = (
        ("kind", "required", "position"),
        ("label_nb", "label_en"),
        ("help_nb", "help_en"),
        "choices",
        ("shown_when", "shown_when_value"),
        ("health_data", "identifying"),
        ("consent_text_nb", "consent_text_en"),
        "consent_version",
    )
    readonly_fields = ("consent_version",)


@admin.register(QuestionSet)
class QuestionSetAdmin(StaffAdmin):
    """Question sets; staff usually edit them on their own page (core.question_views)."""

    list_display = ("__str__", "owner_type", "owner_id", "created_at")
    list_select_related = ("owner_type",)
    list_filter = ("owner_type",)
    inlines = [QuestionInline]


@admin.register(Answer)
class AnswerAdmin(StaffReadOnlyAdmin):
    """Answers, read-only: people give them with what they answer. A health-data answer is
    shown on the record's page, where the look is logged, not here."""

    list_display = ("question", "record_type", "record_id", "answered_at")
    list_select_related = ("question", "record_type")
    list_filter = ("record_type",)
    fields = (
        "question",
        "record_type",
        "record_id",
        "shown_value",
        "consent_version",
        "answered_at",
    )
    readonly_fields = fields

    @admin.display(description=_("answer"))
    def shown_value(self, answer):
        if answer.question.health_data:
            return _("Health data: shown on the record's own page.")
        from core.questions import display_value

        return display_value(answer)
