from events.roles import user_roles


def roles(request):
    """Expose the user's role names to templates, e.g. to show a menu item to hosts."""
    return {"roles": user_roles(getattr(request, "user", None))}
