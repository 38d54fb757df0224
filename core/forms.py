"""Forms of the site's own pages: accounts, webhook endpoints."""

import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import webhooks


def _same_email(a: str, b: str) -> bool:
    """Compare two addresses as Django's reset form does: case-folded, NFKC-normalised."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Send the reset link to active logins without a password too.

    Guardians (and members) get a login without a password when staff approve them
    (orchestra.services.members.new_login): the approval email sends them here to choose
    their first one. Django's own form sends nothing to such logins.
    """

    def get_users(self, email):
        model = get_user_model()
        field = model.get_email_field_name()
        users = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _same_email(email, getattr(user, field)))


class WebhookEndpointForm(forms.Form):
    """An endpoint as staff add or change it (core.webhooks checks the address)."""

    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the events are posted, e.g. https://example.org/kulturvest-hook."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Whose system this is, so that staff know whom to ask."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    new_secret = forms.BooleanField(
        label=_("Make a new signing secret"),
        required=False,
        help_text=_("The old secret stops working at once: give the receiver the new one."),
    )

    def __init__(self, *args, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = webhooks.event_type_choices()
        if adding:
            del self.fields["new_secret"]

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
