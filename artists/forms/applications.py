from django import forms
from django.utils.translation import gettext_lazy as _

from artists.models import Application, ArtistImage, Decision


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

    def __init__(self, *args, artist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].queryset = artist.images.order_by("position", "pk")
        if self.instance.pk and not self.is_bound:
            self.initial["images"] = list(self.instance.images.values_list("pk", flat=True))

    def chosen_images(self) -> list[ArtistImage]:
        return sorted(self.cleaned_data["images"], key=lambda image: (image.position, image.pk))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Decision.Outcome.choices], required=False
    )
