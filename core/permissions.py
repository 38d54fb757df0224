"""One permission class for the whole API: it reads the policy each view declares.

A view declares ``policy`` (one for every action) or ``policies``, a dict from an
action's name, or ``"read"`` (GET, HEAD, OPTIONS) and ``"write"`` (anything else), or
``"*"`` to a policy (core.policies). The most specific key wins: the action, then read
or write, then ``"*"``. A view that declares nothing falls back to its roles
for now (below); tests/core/test_declared_policies.py lists such views.

Anonymous users get a 401 where the policy needs a login; a login the policy refuses a
404 where the policy hides what exists, else a 403 (core.policies). Lists are filtered
with the policy's ``filter(user, queryset)`` in ``get_queryset``, so that a list shows
what the detail allows.
"""

from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.policies import Policy, declared_policies
from core.roles import Role, has_role


def view_policy(view, request=None) -> Policy | None:
    """Return the policy a DRF view declares for the request's action."""
    policies = getattr(view, "policies", None)
    if policies:
        action = getattr(view, "action", None)
        if action in policies:
            return policies[action]
        if request is not None:
            key = "read" if request.method in SAFE_METHODS else "write"
            if key in policies:
                return policies[key]
        return policies.get("*")
    return getattr(view, "policy", None)


class PolicyPermission(BasePermission):
    def has_permission(self, request, view):
        if not declared_policies(view):
            return _legacy_role_permission(request, view)
        policy = view_policy(view, request)
        if policy is None:  # declared, but not for this action: nobody
            return False
        if policy.admits(request.user):
            return True
        if policy.login and not (request.user and request.user.is_authenticated):
            raise NotAuthenticated
        if policy.hide:
            raise NotFound
        return False

    def has_object_permission(self, request, view, obj):
        if not declared_policies(view):
            return True  # the legacy roles decide in has_permission; the queryset filters
        policy = view_policy(view, request)
        if policy is None:
            return False
        if policy.allows(request.user, obj):
            return True
        if policy.hide:
            raise NotFound
        return False


# Until every view declares a policy (issue 13), a view that declares none is read by the
# roles it declares, as before: read_role (None: anyone may read), write_role (default
# project leaders; None: superusers only), login_required and self_service_actions.
# tests/test_policies.py lists the views still on this path; the list only shrinks.


def _legacy_role_permission(request, view) -> bool:
    authenticated = bool(request.user and request.user.is_authenticated)
    if getattr(view, "login_required", False) and not authenticated:
        return False
    if getattr(view, "action", None) in getattr(view, "self_service_actions", ()):
        return authenticated
    if request.method in SAFE_METHODS:
        role = getattr(view, "read_role", None)
    else:
        role = getattr(view, "write_role", Role.PROJECT_LEADER)
        if role is None:
            return bool(request.user and request.user.is_superuser)
    return role is None or has_role(request.user, role)
