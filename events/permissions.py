"""One permission class for the API: it reads the roles a view declares.

A view declares ``read_role`` (None: anyone may read) and ``write_role``
(None: nobody may write through it). Superusers pass every check.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from events.roles import Role, has_role


class RolePermission(BasePermission):
    default_read_role = None
    default_write_role = Role.PROJECT_LEADER

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            role = getattr(view, "read_role", self.default_read_role)
        else:
            role = getattr(view, "write_role", self.default_write_role)
            if role is None:
                return bool(request.user and request.user.is_superuser)
        return role is None or has_role(request.user, role)
