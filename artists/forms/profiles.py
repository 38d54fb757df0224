"""Forms of artists' accounts, profiles and galleries, and the directory's filter."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists.images import ACCEPT
from artists.models import Artist, ArtistImage, Discipline
from artists.selectors.profiles import municipality_choices_for
from artists.services.profiles import PROFILE_FIELDS, normalize_instagram


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name as an artist"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), help_text=_("You log in with this address. We send a link to it.")
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            name = cleaned.get("name", "")
            candidate = get_user_model()(
                username=cleaned.get("email", ""), email=cleaned.get("email", ""), first_name=name
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MunicipalityField(forms.ModelChoiceField):
    def label_from_instance(self, municipality):
        if municipality.is_valid_on(timezone.localdate()):
            return municipality.name
        return _("%(name)s (until %(year)s)") % {
            "name": municipality.name,
            "year": municipality.valid_to.year if municipality.valid_to else "",
        }


def https_by_default(field, **kwargs):
    """Make a model field's form field; an address typed without a scheme gets https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ProfileForm(forms.ModelForm):
    """What an artist keeps on their profile; the portrait is stored by the service."""

    # Named as the service reports its errors; the model field itself is not in the form.
    portrait = forms.FileField(
        label=_("Portrait"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("JPEG, PNG or WebP, at most 15 MB."),
    )
    remove_portrait = forms.BooleanField(label=_("Remove the portrait"), required=False)

    class Meta:
        model = Artist
        fields = ["name", "disciplines", *PROFILE_FIELDS[1:]]
        formfield_callback = https_by_default
        field_classes = {
            "home_municipality": MunicipalityField,
            "studio_municipality": MunicipalityField,
        }
        widgets = {
            "disciplines": forms.CheckboxSelectMultiple,
            "bio_nb": forms.Textarea(attrs={"rows": 4}),
            "bio_en": forms.Textarea(attrs={"rows": 4}),
            "statement_nb": forms.Textarea(attrs={"rows": 6}),
            "statement_en": forms.Textarea(attrs={"rows": 6}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "instagram": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "email": _("Only the organisers see it; it is never shown on your page."),
            "phone": _("Only the organisers see it; it is never shown on your page."),
            "instagram": _("Your handle, without @."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = municipality_choices_for(self.instance if self.instance.pk else None)
        self.fields["home_municipality"].queryset = choices
        self.fields["studio_municipality"].queryset = choices
        self.fields["disciplines"].queryset = Discipline.objects.order_by("position", "slug")

    def clean_instagram(self):
        return normalize_instagram(self.cleaned_data["instagram"])

    def profile_values(self) -> dict:
        """Return the profile fields for the service (disciplines and portrait apart)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "disciplines" and name in self.cleaned_data
        }


class WorkImageForm(forms.ModelForm):
    """The facts of a work image; a new one also takes the file."""

    # Named as the service reports its errors; the model field itself is not in the form.
    image = forms.FileField(
        label=_("Image file"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("JPEG, PNG or WebP, at most 15 MB and 40 megapixels."),
    )

    class Meta:
        model = ArtistImage
        fields = ["title", "year", "technique", "dimensions", "is_public"]
        widgets = {"year": forms.NumberInput(attrs={"inputmode": "numeric"})}
        help_texts = {"is_public": _("Shown on your public page. Off: only you and the jury.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["image"]
        current_year = timezone.localdate().year
        self.fields["year"].widget.attrs.update(min=1900, max=current_year)

    def image_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All")
    )
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )

    def __init__(self, *args, municipalities, disciplines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["discipline"].queryset = disciplines
