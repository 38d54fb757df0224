"""The public registration form and the staff's approval form."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from core import questions
from events.models import Municipality, Period
from events.selectors import municipalities_valid_on
from orchestra.models import ConsentText, Group, Guardianship, Instrument, Member, StatusChange
from orchestra.selectors.registration import (
    REQUIRED_CONSENTS,
    registration_consent_texts,
    registration_seasons,
)
from orchestra.services.members import PlayedInstrument
from orchestra.services.registration import GuardianDetails


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class RegistrationForm(forms.Form):
    """The child, the instruments, where they come from, and the consents.

    The guardians are two GuardianForms beside it (prefixes guardian1 and guardian2).
    One checkbox per current consent text (``consent_<kind>``); the membership consent
    is required.
    """

    season = forms.ModelChoiceField(
        label=_("Season"), queryset=Period.objects.none(), empty_label=None
    )
    trial = forms.TypedChoiceField(
        label=_("What do you ask for?"),
        choices=[("0", _("Registration as a member")), ("1", _("A trial weekend first"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    first_name = forms.CharField(label=_("Child's first name"), max_length=100)
    last_name = forms.CharField(label=_("Child's last name"), max_length=100)
    birth_date = forms.DateField(label=_("Child's birth date"), widget=DateInput)
    municipality = forms.ModelChoiceField(
        label=_("Municipality where the child lives"), queryset=Municipality.objects.none()
    )
    main_instrument = forms.ModelChoiceField(
        label=_("Main instrument"), queryset=Instrument.objects.none()
    )
    years_played = forms.IntegerField(
        label=_("Years played on the main instrument"), min_value=0, max_value=20, initial=0
    )
    other_instruments = forms.ModelMultipleChoiceField(
        label=_("Other instruments the child plays"),
        queryset=Instrument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    origin = forms.ChoiceField(label=_("Where does the child play now?"), choices=Member.Origin)
    origin_name = forms.CharField(
        label=_("Name of the school, orchestra or band"), max_length=200, required=False
    )

    # Service errors keyed by these names go to these fields (others: the whole form).
    SERVICE_FIELDS = {
        "season": "season",
        "birth_date": "birth_date",
        "first_name": "first_name",
        "municipality": "municipality",
        "instruments": "main_instrument",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = registration_seasons()
        self.fields["municipality"].queryset = municipalities_valid_on()
        self.fields["main_instrument"].queryset = Instrument.objects.order_by("position", "name_nb")
        self.fields["other_instruments"].queryset = Instrument.objects.order_by(
            "position", "name_nb"
        )
        self.consent_texts = registration_consent_texts()
        self.consent_rows = []
        for text in self.consent_texts:
            name = f"consent_{text.kind}"
            self.fields[name] = forms.BooleanField(
                label=_("I consent (%(kind)s, version %(version)d)")
                % {"kind": text.get_kind_display(), "version": text.version},
                required=text.kind in REQUIRED_CONSENTS,
            )
            self.fields[f"{name}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=text.version, required=False
            )
            self.consent_rows.append({"text": text, "field": self[name]})
        # Each season's own questions (core.questions), asked when the season is chosen.
        seasons = list(self.fields["season"].queryset)
        self.season_questions = questions.questions_for_owners(seasons)
        self.question_fields = []
        for season in seasons:
            asked = self.season_questions[season.pk]
            for name in questions.add_question_fields(self, asked):
                widget = self.fields[name].widget
                if (
                    not widget.is_hidden
                    and "data-shown-when" not in widget.attrs
                    and len(seasons) > 1
                ):
                    widget.attrs.update(
                        {"data-shown-when": "season", "data-shown-value": season.pk}
                    )
                self.question_fields.append(self[name])
        self.question_answers = {}

    @property
    def is_open(self) -> bool:
        required = {text.kind for text in self.consent_texts} >= set(REQUIRED_CONSENTS)
        return required and self.fields["season"].queryset.exists()

    def clean(self):
        cleaned = super().clean()
        main = cleaned.get("main_instrument")
        if main is not None and main in (cleaned.get("other_instruments") or ()):
            self.add_error("other_instruments", _("The main instrument is listed already."))
        for text in self.consent_texts:
            shown = cleaned.get(f"consent_{text.kind}_version")
            if cleaned.get(f"consent_{text.kind}") and shown is not None and shown != text.version:
                self.add_error(
                    f"consent_{text.kind}",
                    _("This text has changed since the page was opened: read it again."),
                )
        season = cleaned.get("season")
        for season_pk, asked in self.season_questions.items():
            if season is not None and season.pk == season_pk:
                self.question_answers = questions.clean_answers(self, asked)
            else:
                for question in asked:
                    cleaned.pop(questions.field_name(question), None)
                    self.errors.pop(questions.field_name(question), None)
        return cleaned

    def save_answers(self, member) -> None:
        """Save the answers to the chosen season's questions with the member registered."""
        season = self.cleaned_data["season"]
        questions.save_answers(
            record=member, questions=self.season_questions[season.pk], answers=self.question_answers
        )

    def instruments(self) -> list[PlayedInstrument]:
        data = self.cleaned_data
        return [
            PlayedInstrument(data["main_instrument"], True, data["years_played"]),
            *(PlayedInstrument(item) for item in data["other_instruments"]),
        ]

    def consents(self) -> list[ConsentText]:
        return [
            text for text in self.consent_texts if self.cleaned_data.get(f"consent_{text.kind}")
        ]

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for key, messages in errors.items():
            field = self.SERVICE_FIELDS.get(key)
            if key == "consents" and self.consent_texts:
                field = f"consent_{self.consent_texts[0].kind}"
            for message in messages:
                self.add_error(field, message)


class GuardianForm(forms.Form):
    """A guardian's name, contact details and relation to the child."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Mobile phone"), max_length=30)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=Guardianship.Relation)

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        if optional:
            self.use_required_attribute = False

    def is_empty(self) -> bool:
        """Return True if an optional guardian was left out entirely."""
        if not self.optional or not self.is_bound:
            return False
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("first_name", "last_name", "email", "phone")
        )

    def full_clean(self):
        if self.is_empty():
            self.cleaned_data = {}
            self._errors = ErrorDict()
            return
        super().full_clean()

    def details(self) -> GuardianDetails:
        return GuardianDetails(**self.cleaned_data)


class ApprovalForm(forms.Form):
    """The groups (of one season) an applicant is taken into, and as what."""

    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"), queryset=Group.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(
        label=_("As"),
        choices=[
            (StatusChange.Status.ACTIVE, _("Member")),
            (StatusChange.Status.TRIAL, _("Trial weekend")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
