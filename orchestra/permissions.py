"""The orchestra API's permission: events' role rules, plus login and self-service.

A view declares, besides ``read_role`` and ``write_role``:

- ``login_required``: only logged-in users reach it at all;
- ``self_service_actions``: actions any logged-in user may call; the records they
  reach come from the view's queryset, which the ``*_visible_to(user)`` selectors
  limit to the user's own (a guardian's own record, their own children).
"""

from events.permissions import RolePermission


class OrchestraPermission(RolePermission):
    def has_permission(self, request, view):
        authenticated = bool(request.user and request.user.is_authenticated)
        if getattr(view, "login_required", False) and not authenticated:
            return False
        if getattr(view, "action", None) in getattr(view, "self_service_actions", ()):
            return authenticated
        return super().has_permission(request, view)
