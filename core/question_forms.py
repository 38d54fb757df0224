"""The staff's form for one question of a question set (core.questions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Question


class QuestionForm(forms.ModelForm):
    """A question with its texts; choices are written one a line: ``value | bokmål |
    English``; the condition offers the questions before this one."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: value | bokmål | English. Only for choice questions."),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "label_nb",
            "label_en",
            "help_nb",
            "help_en",
            "required",
            "shown_when",
            "shown_when_value",
            "health_data",
            "identifying",
            "consent_text_nb",
            "consent_text_en",
        ]
        widgets = {
            "consent_text_nb": forms.Textarea(attrs={"rows": 3}),
            "consent_text_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, question_set, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.question_set = question_set
        self.fields["shown_when"].queryset = Question.objects.filter(pk__in=[q.pk for q in earlier])
        self.fields["shown_when"].choices = [("", "—")] + [(q.pk, q.label) for q in earlier]
        self.fields["shown_when_value"].help_text = _(
            "The choice's value, or yes or no for a yes/no question."
        )
        if self.instance.pk and self.instance.choices:
            self.initial["choices_text"] = "\n".join(
                " | ".join([str(c.get("value", "")), c.get("nb", ""), c.get("en", "")])
                for c in self.instance.choices
            )

    def clean_choices_text(self):
        choices = []
        for line in self.cleaned_data["choices_text"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            value = parts[0]
            nb = parts[1] if len(parts) > 1 and parts[1] else value
            en = parts[2] if len(parts) > 2 else ""
            choices.append({"value": value, "nb": nb, "en": en})
        return choices

    def clean(self):
        cleaned = super().clean()
        self.instance.choices = cleaned.get("choices_text") or []
        return cleaned

    def _update_errors(self, errors):
        # The model checks ``choices``; the form edits them as ``choices_text``.
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            errors.error_dict["choices_text"] = errors.error_dict.pop("choices")
        super()._update_errors(errors)
