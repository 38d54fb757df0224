from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.payments import BANK, DOOR


class MarkPaidForm(forms.Form):
    """Staff record a payment made by hand: a bank transfer matched, or paid at the door."""

    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(BANK, _("Bank transfer")), (DOOR, _("At the door"))],
    )
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)


class RefundForm(forms.Form):
    """Staff refund all or part of what was paid."""

    amount = forms.DecimalField(
        label=_("Amount (NOK)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Empty: all that was paid."),
    )
    through_provider = forms.BooleanField(
        label=_("Through the online payment"),
        required=False,
        initial=True,
        help_text=_("Off: record a refund paid back by hand (bank, cash)."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
