"""{% error_summary form [other_form ...] %}: one error summary at the top of a page's form.

A page whose form is made of several Django forms (a registration with its guardians)
names them all; the summary lists the errors of each, with a link to each field.
"""

from django import template

register = template.Library()


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(*forms):
    with_errors = [form for form in forms if form is not None and form.errors]
    return {"forms": with_errors, "summary_id": with_errors[0].prefix if with_errors else ""}
