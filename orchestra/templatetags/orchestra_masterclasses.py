"""Template tags of master classes, for pages that other views render ("My children")."""

from django import template
from django.utils import timezone

from orchestra.selectors.masterclasses import sign_ups_of

register = template.Library()


@register.simple_tag(takes_context=True)
def master_class_sign_ups(context, member):
    """Return the member's upcoming master-class sign-ups (not cancelled).

    The page's ``children`` (the "My children" overview) are read at once, on the first
    call: one query for the page, however many children it shows. The result is kept on
    the request, since each include renders with a render context of its own.
    """
    holder = context.get("request")
    cache = getattr(holder, "_orchestra_master_class_sign_ups", None)
    if cache is None:
        cache = {}
        if holder is not None:
            holder._orchestra_master_class_sign_ups = cache
    if member.pk not in cache:
        ids = {member.pk}
        for item in context.get("children") or []:
            child = item.get("member") if isinstance(item, dict) else None
            if child is not None:
                ids.add(child.pk)
        found = sign_ups_of(ids)
        now = timezone.now()
        for member_id in ids:
            cache[member_id] = [r for r in found.get(member_id, []) if r.event.end >= now]
    return cache[member.pk]
