"""The orchestra's entries in the site menu for people without a role group: a member
with their own login (their calendar, master classes) and tour leaders (their tours)."""

from django import template
from django.utils import timezone

from orchestra.models import Member
from orchestra.selectors.members import is_orchestra_staff
from orchestra.selectors.tours import tours_led_by

register = template.Library()


@register.inclusion_tag("orchestra/_menu.html", takes_context=True)
def orchestra_menu(context):
    """Return what the menu offers the logged-in user: two queries, none for staff."""
    user = context["request"].user
    staff = is_orchestra_staff(user)
    own = None
    if not staff:
        own = Member.objects.filter(user=user, anonymised_at__isnull=True).first()
    return {
        "staff": staff,
        "member": own is not None and own.may_have_own_login_on(timezone.localdate()),
        "own_consents": own is not None and own.may_consent_themself_on(timezone.localdate()),
        "tours": staff or tours_led_by(user).exists(),
    }
