"""One way to render a form field on every page: Django's form renderer, set in settings.

``FORM_RENDERER = "core.form_rendering.SiteFormRenderer"`` makes ``{{ form }}`` and
``{{ field.as_field_group }}`` use our templates (core/templates/core/forms/):

- ``form.html`` heads a form with errors with an error summary (a heading and a link to
  each field with an error; site.js moves the focus to it), then renders each field;
- ``field.html`` renders the label, the help text and the errors, the last two with the
  ids (``<id>_helptext``, ``<id>_error``) that Django 5.2 already names in the input's
  ``aria-describedby``, next to its ``aria-invalid``; a group of radio buttons or check
  boxes is a fieldset with a legend.

A page that lays out its fields by hand renders each with ``{{ field.as_field_group }}``
and heads the form with ``{% include "core/forms/error_summary.html" %}``.

Date, time and date-time fields get the browser's own pickers (``<input type="date">``):
the bound field swaps Django's plain text widgets for native ones, which send ISO values
that every date field accepts. The admin's widgets (subclasses) are left alone.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own name)
        super().__init__(attrs, format="%Y-%m-%d")


class NativeTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs, format="%H:%M")


class NativeDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


NATIVE_WIDGETS = {
    forms.DateInput: NativeDateInput,
    forms.TimeInput: NativeTimeInput,
    forms.DateTimeInput: NativeDateTimeInput,
}


def native_widget(widget: forms.Widget) -> forms.Widget:
    """Return the native picker for a plain date, time or date-time widget, else the widget."""
    native = NATIVE_WIDGETS.get(type(widget))
    if native is None:
        return widget
    attrs = {key: value for key, value in widget.attrs.items() if key != "type"}
    replacement = native(attrs=attrs)
    replacement.is_required = widget.is_required
    return replacement


class SiteBoundField(BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        return super().as_widget(
            native_widget(widget or self.field.widget), attrs=attrs, only_initial=only_initial
        )

    @property
    def error_target_id(self) -> str:
        """Return the id of the input that the error summary links to."""
        if self.field.widget.use_fieldset and self.auto_id:
            return self.subwidgets[0].id_for_label if self.subwidgets else self.auto_id
        return self.id_for_label


class SiteFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = SiteBoundField
