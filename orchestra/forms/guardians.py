"""Forms of the guardian's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orchestra.models import ConsentText
from orchestra.selectors.consents import WITHDRAWABLE


class ContactForm(forms.Form):
    """A guardian's own name and contact details."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Mobile phone"), max_length=30, required=False)


class ConsentForm(forms.Form):
    """Consent to one published text version for one child."""

    text = forms.ModelChoiceField(
        queryset=ConsentText.objects.filter(published_at__isnull=False), widget=forms.HiddenInput
    )


class WithdrawConsentForm(forms.Form):
    """Withdraw one kind of consent for one child (or oneself)."""

    kind = forms.ChoiceField(
        choices=[(kind, label) for kind, label in ConsentText.Kind.choices if kind in WITHDRAWABLE],
        widget=forms.HiddenInput,
    )


class DeletionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the project leader (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_("I ask that the data stored about this child be deleted."), required=True
    )


class CalendarLinkForm(forms.Form):
    """A new private calendar link, named for the device or person it is for."""

    name = forms.CharField(
        label=_("Name of the new link (optional)"),
        help_text=_("Such as “Mum’s phone” or “Family iPad”, so you know which one to stop."),
        max_length=60,
        required=False,
    )
