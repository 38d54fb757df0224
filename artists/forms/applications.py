from django import forms
from django.utils.translation import gettext_lazy as _

from artists.models import Application, ArtistImage, Decision
from core import questions


class ApplicationForm(forms.ModelForm):
    """The texts of an application and the work images chosen from the artist's gallery."""

    images = forms.ModelMultipleChoiceField(
        label=_("Work images"),
        queryset=ArtistImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are shown to the jury in the order of your gallery."),
    )

    class Meta:
        model = Application
        fields = ["statement", "cv", "previous_exhibitions"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 6}),
            "cv": forms.Textarea(attrs={"rows": 6}),
            "previous_exhibitions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, artist, asked=(), submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].queryset = artist.images.order_by("position", "pk")
        if self.instance.pk and not self.is_bound:
            self.initial["images"] = list(self.instance.images.values_list("pk", flat=True))
        # The call's own questions (core.questions): required only when it is submitted.
        self.asked = list(asked)
        self.submitting = submitting
        self.question_fields = [
            self[name] for name in questions.add_question_fields(self, self.asked)
        ]
        self.question_answers = {}
        if self.asked and self.instance.pk and not self.is_bound:
            self.initial.update(questions.initial_values(self.instance, self.asked))

    def clean(self):
        cleaned = super().clean()
        if self.asked:
            self.question_answers = questions.clean_answers(
                self,
                self.asked,
                enforce_required=self.submitting,
                files_kept=questions.answered_files(self.instance),
            )
        return cleaned

    def save_answers(self, application) -> None:
        if self.asked:
            questions.save_answers(
                record=application, questions=self.asked, answers=self.question_answers
            )

    def chosen_images(self) -> list[ArtistImage]:
        return sorted(self.cleaned_data["images"], key=lambda image: (image.position, image.pk))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Decision.Outcome.choices], required=False
    )
