from django.utils.functional import SimpleLazyObject

from core.menu import entries_for, menu_for


def menu(request):
    """Expose the menu the user may use, worked out only when a page shows it.

    ``menu_entries`` is every entry in order; ``site_menu`` splits them into the header's
    main entries and the groups behind the menu button (``core.menu.menu_for``).
    """
    user = getattr(request, "user", None)
    return {
        "menu_entries": SimpleLazyObject(lambda: entries_for(user)),
        "site_menu": SimpleLazyObject(lambda: menu_for(user)),
    }
