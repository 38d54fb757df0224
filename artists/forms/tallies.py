"""Forms of the tally pages: a tap or a group, a correction, a removal, and an art sale."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from artists.models import VisitTally, Work


class TapForm(forms.Form):
    """A tap or a group, as the page sends it without JavaScript (the script uses the API)."""

    nonce = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("Who came"),
        choices=VisitTally.Category.choices,
        initial=VisitTally.Category.SINGLE,
        widget=forms.RadioSelect,
    )
    group = forms.IntegerField(
        label=_("Number in the group"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    pupils = forms.IntegerField(
        label=_("Pupils"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    add = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # The nonce of a tap sent without the script: a second submit counts nothing.
            self.initial["nonce"] = uuid.uuid4().hex

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("add") == "group":
            if not cleaned.get("group"):
                self.add_error("group", _("Give the number of visitors in the group."))
            cleaned["visitors"] = cleaned.get("group")
        else:
            cleaned["visitors"] = 1
        return cleaned

    def tally_values(self) -> dict:
        data = self.cleaned_data
        school_class = data["category"] == VisitTally.Category.SCHOOL_CLASS
        return {
            "visitors": data["visitors"],
            "category": data["category"],
            "pupils": (data.get("pupils") or 0) if school_class else 0,
            "school": (data.get("school") or "") if school_class else "",
            "nonce": data.get("nonce") or "",
        }


class CorrectionForm(forms.Form):
    category = forms.ChoiceField(label=_("Who came"), choices=VisitTally.Category.choices)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=1)
    pupils = forms.IntegerField(label=_("Pupils"), min_value=0, required=False)
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    reason = forms.CharField(label=_("Why"), max_length=300)

    @classmethod
    def for_tally(cls, tally: VisitTally) -> "CorrectionForm":
        return cls(
            initial={
                "category": tally.category,
                "visitors": tally.visitors,
                "pupils": tally.pupils or None,
                "school": tally.school,
            },
            prefix=f"t{tally.pk}",
        )

    def changes(self) -> dict:
        data = self.cleaned_data
        school_class = data["category"] == VisitTally.Category.SCHOOL_CLASS
        return {
            "category": data["category"],
            "visitors": data["visitors"],
            "pupils": (data.get("pupils") or 0) if school_class else 0,
            "school": (data.get("school") or "") if school_class else "",
        }


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class SaleForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount (NOK)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    work = forms.ModelChoiceField(
        label=_("The exhibited work"),
        queryset=Work.objects.none(),
        required=False,
        empty_label=_("Another work"),
    )
    description = forms.CharField(
        label=_("What was sold"),
        max_length=200,
        required=False,
        help_text=_("If it was not the exhibited work."),
    )
    sold_on = forms.DateField(label=_("Sold on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, works=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = works if works is not None else Work.objects.none()
