from django import forms
from django.core import signing
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import questions
from ticketing.models import SECRET_LENGTH, random_code
from ticketing.selectors import OfferAvailability
from ticketing.services import TicketRequest

FORM_KEY_SALT = "ticketing.registration.form_key"


def new_form_key(event_id: int) -> str:
    """A signed key for one rendering of an event's registration form: its random part is
    saved with the registration the form makes, so that the form sent again makes no other."""
    return signing.Signer(salt=FORM_KEY_SALT).sign(f"{event_id}:{random_code(SECRET_LENGTH)}")


def form_key_of(signed: str, event_id: int) -> str | None:
    """The random part of a signed form key of the event's form; None if it is not one."""
    try:
        value = signing.Signer(salt=FORM_KEY_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    scope, _sep, key = value.partition(":")
    return key if scope == str(event_id) and len(key) == SECRET_LENGTH else None


class RegistrationForm(forms.Form):
    """The public registration form: how many of each offer, attendee names, and the buyer.

    Built from the offers on sale; each offer gets a quantity field and one attendee name
    field per ticket it may sell (the page shows as many as the quantity chosen).
    """

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    # Sent by the "Join the waitlist" button itself: pressing it is the consent.
    join_waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # One key per rendering of the form (the template writes form_key_value): the same
    # form sent again (Back and send, a double click) answers with the first registration.
    # A form sent without one (a page rendered before keys) registers without that guard.
    form_key = forms.CharField(required=False, widget=forms.HiddenInput)
    # Shown when the email address is registered for the event already.
    confirm_another = forms.BooleanField(
        label=_("Yes, register another one"),
        required=False,
        help_text=_("For someone else, or more tickets, with the same email address."),
    )

    def __init__(self, *args, offers: list[OfferAvailability], **kwargs):
        super().__init__(*args, **kwargs)
        self.event_id = offers[0].offer.event_id if offers else None
        self.offers = [item for item in offers if item.on_sale]
        self.offer_rows = []
        # Staff's own questions of each offer (core.questions), asked of those who choose it.
        self.offer_questions = questions.questions_for_owners([i.offer for i in self.offers])
        self.question_answers = {}
        for item in self.offers:
            offer = item.offer
            most = offer.max_per_registration
            quantity = forms.TypedChoiceField(
                label=_("Number of tickets"),
                choices=[(n, str(n)) for n in range(most + 1)],
                coerce=int,
                initial=1 if len(self.offers) == 1 else 0,
            )
            self.fields[f"quantity_{offer.pk}"] = quantity
            names = []
            for number in range(1, most + 1):
                field_name = f"attendee_{offer.pk}_{number}"
                self.fields[field_name] = forms.CharField(
                    label=_("Attendee %(number)d") % {"number": number},
                    max_length=200,
                    required=False,
                    help_text=_("Empty: your own name."),
                )
                names.append(field_name)
            self.offer_rows.append(
                {
                    "availability": item,
                    "quantity": self[f"quantity_{offer.pk}"],
                    "attendees": [self[name] for name in names],
                    "questions": self._question_fields(offer),
                }
            )

    def clean_form_key(self) -> str:
        signed = self.cleaned_data["form_key"]
        if not signed:
            return ""
        key = form_key_of(signed, self.event_id)
        if key is None:
            raise forms.ValidationError(
                _("This form is out of date. Check it and send it again."), code="form_key"
            )
        return key

    @cached_property
    def form_key_value(self) -> str:
        """The signed key the rendered form carries: the one sent, while it is good."""
        if self.is_bound and getattr(self, "cleaned_data", {}).get("form_key"):
            return self.data["form_key"]
        return new_form_key(self.event_id)

    def _question_fields(self, offer) -> list:
        """The offer's questions; shown (by core/questions.js) once a ticket is chosen."""
        fields = []
        for name in questions.add_question_fields(self, self.offer_questions[offer.pk]):
            widget = self.fields[name].widget
            if not widget.is_hidden and "data-shown-when" not in widget.attrs:
                widget.attrs["data-shown-when"] = f"quantity_{offer.pk}"
                widget.attrs["data-shown-unless"] = "0"
            fields.append(self[name])
        return fields

    def clean(self):
        cleaned = super().clean()
        for item in self.offers:
            asked = self.offer_questions[item.offer.pk]
            if cleaned.get(f"quantity_{item.offer.pk}"):
                self.question_answers[item.offer.pk] = questions.clean_answers(self, asked)
            else:
                for question in asked:
                    cleaned.pop(questions.field_name(question), None)
                    self.errors.pop(questions.field_name(question), None)
        if not self.offers:
            raise forms.ValidationError(_("Nothing is on sale for this event now."))
        if not any(cleaned.get(f"quantity_{item.offer.pk}") for item in self.offers):
            raise forms.ValidationError(_("Choose at least one ticket."))
        return cleaned

    def ticket_requests(self) -> list[TicketRequest]:
        buyer = self.cleaned_data["name"]
        requests = []
        for item in self.offers:
            offer = item.offer
            for number in range(1, self.cleaned_data[f"quantity_{offer.pk}"] + 1):
                attendee = self.cleaned_data.get(f"attendee_{offer.pk}_{number}") or buyer
                requests.append(TicketRequest(offer=offer, attendee_name=attendee))
        return requests

    def save_answers(self, registration) -> None:
        """Save the answers to the questions of the offers chosen, with the registration."""
        for offer_pk, answers in self.question_answers.items():
            questions.save_answers(
                record=registration, questions=self.offer_questions[offer_pk], answers=answers
            )
