"""Forms of the site's own accounts."""

import unicodedata

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model


def _same_email(a: str, b: str) -> bool:
    """Compare two addresses as Django's reset form does: case-folded, NFKC-normalised."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Send the reset link to active logins without a password too.

    Guardians (and members) get a login without a password when staff approve them
    (orchestra.services.members.new_login): the approval email sends them here to choose
    their first one. Django's own form sends nothing to such logins.
    """

    def get_users(self, email):
        model = get_user_model()
        field = model.get_email_field_name()
        users = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _same_email(email, getattr(user, field)))
