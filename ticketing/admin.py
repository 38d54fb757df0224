"""The administration of offers, registrations, tickets, check-in lists and scans."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AuditedModelAdmin
from ticketing import services
from ticketing.exceptions import TicketingError
from ticketing.models import (
    CapacityPool,
    Checkin,
    CheckinList,
    Offer,
    Payment,
    PaymentAttempt,
    Registration,
    Ticket,
)


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ("name_nb", "name_en", "price", "pool", "sales_start", "sales_end", "is_public")


@admin.register(CapacityPool)
class CapacityPoolAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "size")
    list_select_related = ("event",)
    search_fields = ("name", "event__title_nb")
    autocomplete_fields = ("event",)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("name_nb", "event", "price", "pool", "requires_approval", "is_public")
    list_select_related = ("event", "pool")
    list_filter = ("requires_approval", "is_public")
    search_fields = ("name_nb", "name_en", "event__title_nb")
    autocomplete_fields = ("event", "pool")


class TicketInline(admin.TabularInline):
    model = Ticket
    extra = 0
    fields = ("attendee_name", "offer", "price", "secret", "cancelled_at")
    readonly_fields = ("secret", "price", "cancelled_at")
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("kind", "amount", "provider", "reference", "attempt", "recorded_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PaymentAttemptInline(admin.TabularInline):
    model = PaymentAttempt
    extra = 0
    fields = ("provider", "reference", "state", "amount", "error", "created_at", "updated_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, service, done_message):
    done = 0
    for registration in queryset:
        try:
            service(registration=registration, by=request.user)
            done += 1
        except TicketingError as exc:
            modeladmin.message_user(request, f"{registration.code}: {exc}", level=messages.WARNING)
    if done:
        modeladmin.message_user(request, done_message(done), level=messages.SUCCESS)


@admin.register(Registration)
class RegistrationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "email", "event", "state", "payment_state", "created_at")
    list_select_related = ("event",)
    list_filter = ("state", "payment_state", "needs_approval")
    search_fields = ("code", "name", "email", "tickets__attendee_name", "event__title_nb")
    date_hierarchy = "created_at"
    autocomplete_fields = ("event",)
    readonly_fields = (
        "code",
        "state",
        "payment_state",
        "total",
        "needs_approval",
        "approved_at",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "waitlist_offer_expires_at",
        "hold_expires_at",
        "user",
    )
    fields = ("event", "name", "email", "phone", "language", "comment", *readonly_fields)
    inlines = [TicketInline, PaymentInline, PaymentAttemptInline]
    actions = ["approve", "mark_paid", "cancel"]

    def has_add_permission(self, request):
        # Registrations are made through the registration page or the API, which hold
        # the places; the admin changes contact details and runs the actions.
        return False

    @admin.action(description=_("Approve selected registrations"))
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.approve_registration,
            lambda n: (
                ngettext(
                    "%(count)d registration was approved.",
                    "%(count)d registrations were approved.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark selected registrations paid"))
    def mark_paid(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.record_payment,
            lambda n: (
                ngettext(
                    "%(count)d registration was marked paid.",
                    "%(count)d registrations were marked paid.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Cancel selected registrations"))
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.cancel_registration,
            lambda n: (
                ngettext(
                    "%(count)d registration was cancelled.",
                    "%(count)d registrations were cancelled.",
                    n,
                )
                % {"count": n}
            ),
        )


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    """Online payments, as the providers left them: read only (ticketing.payments writes
    them; staff refund on the event's payments page)."""

    list_display = ("reference", "provider", "state", "amount", "registration", "created_at")
    list_select_related = ("registration",)
    list_filter = ("provider", "state")
    search_fields = ("reference", "registration__code")
    date_hierarchy = "created_at"
    fields = (
        "registration",
        "provider",
        "reference",
        "state",
        "amount",
        "redirect_url",
        "error",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(AuditedModelAdmin):
    list_display = ("attendee_name", "offer", "registration", "cancelled_at")
    list_select_related = ("offer", "registration")
    search_fields = ("attendee_name", "secret", "registration__code", "registration__name")
    readonly_fields = ("registration", "offer", "secret", "price", "created_at", "cancelled_at")
    fields = ("attendee_name", "attendee_is_child", *readonly_fields)

    def has_add_permission(self, request):
        return False


class CheckinListForm(forms.ModelForm):
    """The admin's check-in list form; the admin supplies the model and fields."""

    def clean(self):
        cleaned_data = super().clean()
        event, offers = cleaned_data.get("event"), cleaned_data.get("offers")
        if event is not None and offers is not None:
            # Offers are many-to-many: the model's full_clean() cannot see those chosen.
            try:
                services.validate_checkin_list_offers(event=event, offers=offers)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned_data


@admin.register(CheckinList)
class CheckinListAdmin(admin.ModelAdmin):
    form = CheckinListForm
    list_display = ("name", "event", "all_offers", "allow_multiple_entries")
    list_select_related = ("event",)
    search_fields = ("name", "event__title_nb")
    autocomplete_fields = ("event",)
    filter_horizontal = ("offers",)


@admin.register(Checkin)
class CheckinAdmin(admin.ModelAdmin):
    list_display = ("received_at", "checkin_list", "ticket", "type", "successful", "reason", "user")
    list_select_related = (
        "checkin_list",
        "checkin_list__event",
        "ticket",
        "ticket__offer",
        "ticket__registration",
        "user",
    )
    list_filter = ("successful", "reason", "type")
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in Checkin._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
