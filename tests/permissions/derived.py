"""What each role gets from a URL, derived from the policy its view declares.

For a page or an API route, the declared policy (core.policies) and the object the URL
names in the world (tests/permissions/world.py; which object: the view's ``policy_object``
parameter, or an API route's ``pk``) say for each role either that the role is let
through, or exactly how it is refused:

- an anonymous visitor, where the policy needs a login: the login page (a page) or 401
  (the API; 403 where the view has no authentication that can ask for credentials);
- a login the policy does not admit, or admits but not to this object: 404 where the
  policy hides what exists, else 403.

A role let through gets the view's own answer, which is anything but a refusal: not
401, 403 or 404, not the login page, and no server error. The admin's pages are the
admin's own and stay in the hand-written table (expectations.ADMIN_MODELS).

This is not a second copy of the rules: the rules are the policies, and the world says
who is whose. What the derivation cannot catch (a policy that is itself too generous)
the independent checks catch: no member's name, health note or private datum in any
answer to a role that may not see it (expectations.NAMES_VISIBLE_TO, MEDICAL_VISIBLE_TO,
PRIVATE_VISIBLE_TO, on every URL), the children's cases in expectations.CHILD_CASES, and
the writes on someone's records in expectations.FOREIGN_WRITES.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from core.permissions import view_policy
from core.policies import Policy, declared_policies
from tests.permissions import expectations
from tests.permissions.matrix import lookup
from tests.permissions.walker import Pattern
from tests.permissions.world import ROLES

REFUSALS = frozenset({401, 403, 404})


@dataclass(frozen=True)
class Expected:
    """Either let through (``statuses`` is None) or refused with one of ``statuses``."""

    statuses: frozenset[int] | None
    to_login: bool = False

    @property
    def let_through(self) -> bool:
        return self.statuses is None

    def describe(self) -> str:
        if self.let_through:
            return "let through"
        if self.to_login:
            return "sent to the login"
        return "refused with " + " or ".join(str(s) for s in sorted(self.statuses))


LET_THROUGH = Expected(None)


def policy_of(pattern: Pattern) -> Policy | None:
    """Return the policy a GET of the pattern meets, or None if its view declares none."""
    if pattern.is_admin:
        return None
    if pattern.is_api:
        cls = pattern.api_view
        if cls is None or not declared_policies(cls):
            return None
        view = cls()
        view.action = pattern.api_action
        return view_policy(view, SimpleNamespace(method="GET"))
    if not declared_policies(pattern.callback):
        return None
    return declared_policies(pattern.callback)[0]


def _spec_of(pattern: Pattern, param: str):
    own = expectations.PARAMS.get(pattern.key.removesuffix(".format"), {})
    if param in own:
        return own[param]
    if pattern.is_api and param == "pk":
        return expectations.API_OBJECTS.get(pattern.api_basename)
    return expectations.PARAMS_BY_NAME.get(param)


def object_of(pattern: Pattern, world):
    """Return the world's object the URL names for its policy, or None if it names none."""
    if pattern.is_api:
        param = "pk" if "pk" in pattern.params else None
    else:
        param = getattr(pattern.callback, "policy_object", None)
    if param is None or param not in pattern.params:
        return None
    spec = _spec_of(pattern, param)
    if spec is None or isinstance(spec, tuple):
        return None  # a literal (a bad token, a format): no object of the world
    owner, _field = spec.rsplit(".", 1)
    return lookup(world, owner)


def expected(pattern: Pattern, world, role: str) -> Expected | None:
    """Return what the role should get from the pattern, or None without a policy."""
    policy = policy_of(pattern)
    if policy is None:
        return None
    user = world.users[role] or AnonymousUser()
    if not policy.admits(user):
        if policy.login and not user.is_authenticated:
            if pattern.is_api:
                return Expected(frozenset({401, 403}))
            return Expected(frozenset({302}), to_login=True)
        return Expected(frozenset({404 if policy.hide else 403}))
    # A form's page answers a GET with 405 before it fetches its object (on a POST):
    # the GET meets the capability only; the forms' test posts and meets the object too.
    # So does an API action that takes no GET (405 after the permission, before any object).
    get_only_capability = pattern.key in expectations.POST_ONLY_PAGES or (
        pattern.is_api and pattern.api_view is not None and pattern.api_action is None
    )
    obj = None if get_only_capability else object_of(pattern, world)
    if obj is not None and not policy.allows(user, obj):
        return Expected(frozenset({404 if policy.hide else 403}))
    own = expectations.OWN_ANSWERS.get(pattern.key)
    return LET_THROUGH if own is None else Expected(frozenset({own}))


def let_through(pattern: Pattern, world) -> set[str] | None:
    """Return the roles the pattern's policy lets use it on its object (a form's POST), or
    None without a policy."""
    policy = policy_of(pattern)
    if policy is None:
        return None
    obj = object_of(pattern, world)
    return {role for role in ROLES if policy.allows(world.users[role] or AnonymousUser(), obj)}


def mismatch(want: Expected, response) -> str | None:
    """Return what is wrong with the answer, or None if it is what the policy says."""
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and "login" in location
    if status >= 500:
        return f"{status}, a server error"
    if want.let_through:
        if status in REFUSALS or to_login:
            return f"{status}{' to the login' if to_login else ''}, but the policy lets through"
        return None
    if status not in want.statuses:
        return f"{status}, but the policy says {want.describe()}"
    if want.to_login and not to_login:
        return f"redirected to {location}, not to the login"
    return None
