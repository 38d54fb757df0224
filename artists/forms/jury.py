from django import forms
from django.utils.translation import gettext_lazy as _

from artists.models import Application, Criterion, Review


def criterion_field_name(criterion: Criterion) -> str:
    return f"criterion_{criterion.pk}"


class ReviewForm(forms.Form):
    """A juror's scores (one field per criterion, on its scale), comment and sharing.

    A criterion left empty is not scored (yet); the same form serves the page and the
    autosave endpoint.
    """

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For the jury. Optional."),
    )
    comment_shareable = forms.BooleanField(
        label=Review._meta.get_field("comment_shareable").verbose_name,
        required=False,
    )

    def __init__(self, *args, criteria: list[Criterion], review: Review | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        given = {score.criterion_id: score.value for score in review.scores.all()} if review else {}
        fields = {}
        for criterion in criteria:
            name = criterion_field_name(criterion)
            fields[name] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=criterion.choices(),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _(
                        "%(value)s is not on the scale of this criterion: choose one of the values."
                    )
                },
            )
            if criterion.pk in given:
                self.initial[name] = given[criterion.pk]
        # The criteria first, in their order, then the comment.
        self.fields = {**fields, **self.fields}
        if review and not self.is_bound:
            self.initial["comment"] = review.comment
            self.initial["comment_shareable"] = review.comment_shareable

    def criterion_fields(self):
        return [self[criterion_field_name(criterion)] for criterion in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {
            criterion.pk: self.cleaned_data[criterion_field_name(criterion)]
            for criterion in self.criteria
        }


class RecuseForm(forms.Form):
    """Why a juror steps aside from an application."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: I know the artist personally. Only the organisers see it."),
    )


class StaffConflictForm(forms.Form):
    """Staff mark a juror's conflict of interest with an application of the call."""

    juror = forms.ModelChoiceField(label=_("Juror"), queryset=None)
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, jurors, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors
        self.fields["juror"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = _application_label


def _application_label(application: Application) -> str:
    return f"{application.artist.name} (#{application.pk})"
