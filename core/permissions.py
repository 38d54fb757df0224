"""One permission class for the whole API: it reads the policy each view declares.

A view declares ``policy`` (one for every action) or ``policies``, a dict from an
action's name, or ``"read"`` (GET, HEAD, OPTIONS) and ``"write"`` (anything else), or
``"*"`` to a policy (core.policies). The most specific key wins: the action, then read
or write, then ``"*"``. A view that declares nothing is a mistake, not a default: it
answers every request with ImproperlyConfigured (tests/core/test_declared_policies.py
finds such a view first).

Anonymous users get a 401 where the policy needs a login; a login the policy refuses a
404 where the policy hides what exists, else a 403 (core.policies). Lists are filtered
with the policy's ``filter(user, queryset)`` in ``get_queryset``, so that a list shows
what the detail allows.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.policies import Policy, declared_policies


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


def _require_declared(view) -> None:
    if not declared_policies(view):
        raise ImproperlyConfigured(
            f"{type(view).__module__}.{type(view).__qualname__} declares no policy "
            "(core.policies): give it `policy` or `policies`."
        )


class PolicyPermission(BasePermission):
    def has_permission(self, request, view):
        _require_declared(view)
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
        _require_declared(view)
        policy = view_policy(view, request)
        if policy is None:
            return False
        if policy.allows(request.user, obj):
            return True
        if policy.hide:
            raise NotFound
        return False
