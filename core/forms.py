"""Forms of the site's own pages: accounts, how a person is reached, webhook endpoints."""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import audiences, reach, webhooks


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


class ServiceErrorsMixin:
    """A form that shows a service's ValidationError on the fields it names (the rest, and
    an error naming no field, above the form)."""

    def add_service_errors(self, error: ValidationError) -> None:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages in errors.items():
            self.add_error(field if field in self.fields else None, messages)


class WebhookEndpointForm(ServiceErrorsMixin, forms.Form):
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


class ContactPreferenceForm(ServiceErrorsMixin, forms.Form):
    """A person's language, mobile number and the messages they want (core.reach)."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("For urgent changes by SMS, such as 912 34 567."),
    )
    sms = forms.BooleanField(label=_("Send me SMS when it matters"), required=False)
    email_enabled = forms.BooleanField(
        label=_("Send me reminders and messages by email"), required=False
    )
    wanted = forms.MultipleChoiceField(
        label=_("Messages I want"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Changes, cancellations, tickets, receipts and a child's safety always reach you."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The site's language")), *settings.LANGUAGES]
        self.fields["wanted"].choices = [(c.key, c.label) for c in reach.optional_categories()]

    @staticmethod
    def initial_of(pref) -> dict:
        """The form's values for a stored preference, or a login's defaults (None)."""
        return {
            "language": pref.language if pref else "",
            "mobile": pref.mobile if pref else "",
            "sms": pref.sms if pref else True,
            "email_enabled": pref.email_enabled if pref else True,
            "wanted": [
                c.key for c in reach.optional_categories() if not pref or c.key not in pref.muted
            ],
        }

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        return reach.normalise_mobile(value) if value else ""

    def muted(self) -> list[str]:
        """The categories not ticked: those the person turns off."""
        wanted = self.cleaned_data["wanted"]
        return [c.key for c in reach.optional_categories() if c.key not in wanted]


class AudienceChoiceForm(forms.Form):
    """The first step of a message to a group: whom it is for (core.audiences)."""

    audience = forms.ChoiceField(label=_("Who is the message for?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(a.key, a.label) for a in audiences.audiences()]


class GroupMessageForm(ServiceErrorsMixin, forms.Form):
    """A message to a group: the audience's choices, the kind, the texts (core.group_messages)."""

    category = forms.ChoiceField(
        label=_("Kind of message"),
        widget=forms.RadioSelect,
        help_text=_(
            "A message about a child's safety reaches everyone, also those who turned "
            "messages off; use it only for that."
        ),
    )
    subject_nb = forms.CharField(label=_("Subject (Norwegian)"), max_length=200)
    text_nb = forms.CharField(label=_("Text (Norwegian)"), max_length=10000, widget=forms.Textarea)
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200, required=False)
    text_en = forms.CharField(
        label=_("Text (English)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea,
        help_text=_("Empty: those who read English get the Norwegian text."),
    )
    sms_text = forms.CharField(
        label=_("Short text by SMS"),
        max_length=320,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: email only. Sent to those who want SMS, when SMS is configured."),
    )

    def __init__(self, *args, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        from core.models import GroupMessage

        self.audience = audiences.audience(audience)
        self.fields["category"].choices = GroupMessage.Category.choices
        self.fields["category"].initial = GroupMessage.Category.GROUP_MESSAGE
        params = {}
        for param in self.audience.params:
            params["param_" + param.name] = forms.ChoiceField(
                label=param.label, choices=[("", "---------"), *param.choices()]
            )
        # The audience's choices first, then the message.
        self.fields = {**params, **self.fields}

    def audience_params(self) -> dict:
        return {p.name: self.cleaned_data["param_" + p.name] for p in self.audience.params}

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    ("param_" + k if "param_" + k in self.fields else k): v
                    for k, v in error.error_dict.items()
                }
            )
        super().add_service_errors(error)

    @staticmethod
    def initial_of(message) -> dict:
        return {
            **{"param_" + k: v for k, v in (message.audience_params or {}).items()},
            "category": message.category,
            "subject_nb": message.subject_nb,
            "text_nb": message.text_nb,
            "subject_en": message.subject_en,
            "text_en": message.text_en,
            "sms_text": message.sms_text,
        }


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
