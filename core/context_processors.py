from django.utils.functional import SimpleLazyObject

from core.menu import entries_for


def menu(request):
    """Expose the menu entries the user may use, worked out only when a page shows them."""
    user = getattr(request, "user", None)
    return {"menu_entries": SimpleLazyObject(lambda: entries_for(user))}
