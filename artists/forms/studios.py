"""Forms of the artist's own exhibited work, studio and opening hours."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from artists.images import ACCEPT
from core import formats as kv_formats
from events.selectors import municipalities_valid_on


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    technique = forms.CharField(label=_("Technique"), max_length=200, required=False)
    dimensions = forms.CharField(
        label=_("Dimensions"),
        max_length=100,
        required=False,
        help_text=_("For example 60 × 80 cm."),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("JPEG, PNG or WebP, at most 15 MB."),
    )
    for_sale = forms.BooleanField(label=_("For sale"), required=False)
    price = forms.IntegerField(label=_("Price (NOK)"), min_value=0, required=False)

    def work_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("title", "year", "technique", "dimensions", "for_sale", "price")
        }


# The radio buttons' values: str() of the stored True, False and None ("not known").
STEP_FREE_CHOICES = [("True", _("Yes")), ("False", _("No")), ("", _("Not known"))]
STEP_FREE_VALUES = {"True": True, "False": False}


class StudioForm(forms.Form):
    name = forms.CharField(label=_("Name of the studio"), max_length=200)
    address = forms.CharField(label=_("Street address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=4)
    place = forms.CharField(label=_("Place"), max_length=100)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("For example 59.833; in Norway."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("For example 10.435; in Norway."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Steps, parking, toilets: what a visitor should know."),
    )
    step_free = forms.TypedChoiceField(
        label=_("Step-free access"),
        required=False,
        choices=STEP_FREE_CHOICES,
        coerce=STEP_FREE_VALUES.__getitem__,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=_(
            "Can a wheelchair user get in and around without steps? Visitors can choose "
            "step-free studios in the list and on the map."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_valid_on()


class HoursForm(forms.Form):
    """Opening and closing time for each day of the edition's open-studio weekends."""

    def __init__(self, *args, days: list[date], hours: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            label = kv_formats.day(day)
            current = hours.get(day)
            self.fields[f"opens_{day.isoformat()}"] = forms.TimeField(
                label=_("%(day)s: opens") % {"day": label},
                required=False,
                initial=current.opens if current else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{day.isoformat()}"] = forms.TimeField(
                label=_("%(day)s: closes") % {"day": label},
                required=False,
                initial=current.closes if current else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def day_values(self):
        """Yield (day, opens, closes) per day; both empty means closed that day."""
        for day in self.days:
            yield (
                day,
                self.cleaned_data.get(f"opens_{day.isoformat()}"),
                self.cleaned_data.get(f"closes_{day.isoformat()}"),
            )


class JoinStudioForm(forms.Form):
    """Join a studio another artist of the edition registered (a shared studio)."""

    studio = forms.ModelChoiceField(label=_("Shared studio"), queryset=None)

    def __init__(self, *args, studios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios
        self.fields["studio"].label_from_instance = lambda studio: ", ".join(
            [studio.venue.full_address, *(artist.name for artist in studio.artists.all())]
        )


class StudioFilterForm(forms.Form):
    """Which of an edition's studios a visitor wants to see: open on a day, in a
    municipality, with step-free access. A GET form, so a filtered list has a URL.

    A value that is not one of the choices is a field error; the other filters still apply.
    """

    day = forms.TypedChoiceField(
        label=_("Open on"),
        required=False,
        coerce=date.fromisoformat,
        empty_value=None,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), required=False, queryset=None, empty_label=_("All")
    )
    step_free = forms.BooleanField(label=_("Only studios with step-free access"), required=False)

    def __init__(self, *args, days: list[date], municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", _("Any open day"))] + [
            (day.isoformat(), kv_formats.day(day)) for day in days
        ]
        self.fields["municipality"].queryset = municipalities

    def filters(self) -> dict:
        """Return the valid filters as keyword arguments of filter_studios()."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("day", "municipality", "step_free")
            if self.cleaned_data.get(name)
        }
