"""Spreadsheet export of attendees (CSV and XLSX)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields, resources

from core.questions import display_value
from ticketing.models import Ticket


class AttendeeResource(resources.ModelResource):
    """One row per ticket: who comes, with which offer, and whether they came."""

    reference = fields.Field(attribute="registration__code", column_name=_("Reference"))
    attendee = fields.Field(attribute="attendee_name", column_name=_("Attendee"))
    offer = fields.Field(column_name=_("Offer"))
    buyer = fields.Field(attribute="registration__name", column_name=_("Registered by"))
    email = fields.Field(attribute="registration__email", column_name=_("Email"))
    phone = fields.Field(attribute="registration__phone", column_name=_("Phone"))
    state = fields.Field(column_name=_("State"))
    payment = fields.Field(column_name=_("Payment"))
    price = fields.Field(attribute="price", column_name=_("Price (NOK)"))
    registered = fields.Field(column_name=_("Registered"))
    checked_in = fields.Field(column_name=_("Checked in"))
    answers = fields.Field(column_name=_("Answers"))

    class Meta:
        model = Ticket
        fields = (
            "reference",
            "attendee",
            "offer",
            "buyer",
            "email",
            "phone",
            "state",
            "payment",
            "price",
            "registered",
            "checked_in",
            "answers",
        )

    def dehydrate_answers(self, ticket):
        """The registration's answers to the offers' questions, "question: answer" a line."""
        return "; ".join(
            f"{answer.question.label}: {display_value(answer)}"
            for answer in ticket.registration.answers.all()
        )

    def dehydrate_offer(self, ticket):
        return ticket.offer.name

    def dehydrate_state(self, ticket):
        if ticket.is_cancelled:
            return str(pgettext_lazy("ticket", "Cancelled"))
        return ticket.registration.get_state_display()

    def dehydrate_payment(self, ticket):
        return ticket.registration.get_payment_state_display()

    def dehydrate_registered(self, ticket):
        return timezone.localtime(ticket.registration.created_at).strftime("%Y-%m-%d %H:%M")

    def dehydrate_checked_in(self, ticket):
        return str(_("yes")) if getattr(ticket, "entries", 0) else ""
