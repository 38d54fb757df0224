from django import forms
from django.utils.translation import gettext_lazy as _

from core import questions
from ticketing.selectors import OfferAvailability
from ticketing.services import TicketRequest


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

    def __init__(self, *args, offers: list[OfferAvailability], **kwargs):
        super().__init__(*args, **kwargs)
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
