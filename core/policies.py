"""Who may see and do what, declared once per capability.

A policy has a name, a test on the user (may they use this kind of page at all?), a rule
on a user and an object, and a scope that filters a queryset to the objects the rule
allows, so that a list and a detail page never disagree. Each app names its capabilities
in its own ``policies.py`` (``ticketing.policies.SCAN_AT_LIST``); everything that decides
access reads them:

- an HTML view declares its policy with ``@requires(POLICY)`` and fetches its object
  through it (``POLICY.get_object(request, queryset, pk=pk)``);
- an API view declares ``policy`` (or ``policies`` per action) and one permission class,
  ``core.permissions.PolicyPermission``, reads it;
- the site menu is a registry of (label, URL name, policy) (``core.menu``);
- the permission matrix (tests/permissions) derives what each role gets from them.

A refusal is the login page (an HTML view) or a 401 (the API) for an anonymous visitor
when the policy needs a login; then a 404 where the policy hides what exists
(``hide=True``: a child's record, another host's check-in list), whether the login may not
use the capability at all or not on this object; else a 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from core.roles import has_role, is_project_leader, is_staff_member, user_roles

UserTest = Callable[[object], bool]
ObjectRule = Callable[[object, Model], bool]
Scope = Callable[[object, QuerySet], QuerySet]

REGISTRY: dict[str, Policy] = {}


def _anyone(user) -> bool:
    return True


@dataclass(frozen=True, eq=False)
class Policy:
    """One capability: who may use it (``who``), on which objects (``rule``/``scope``).

    ``who`` tests the user alone; ``scope`` filters a queryset to the objects the user may
    reach; ``rule`` tests one object. Give the rule or the scope or both (when the rule can
    answer from the object without a query); with only a scope, the rule asks the scope
    about the one object; with neither, every object is allowed to whoever passes ``who``.
    """

    name: str
    who: UserTest = _anyone
    rule: ObjectRule | None = None
    scope: Scope | None = None
    login: bool = True
    hide: bool = False
    description: str = field(default="", compare=False)

    def __post_init__(self):
        if self.name in REGISTRY:
            raise ValueError(f"Two policies are named {self.name!r}.")
        REGISTRY[self.name] = self

    def __repr__(self) -> str:
        return f"<Policy {self.name}>"

    # --- deciding ------------------------------------------------------------------------

    def admits(self, user) -> bool:
        """Return True if the user may use this capability at all (on some object)."""
        authenticated = user is not None and user.is_authenticated
        if self.login and not authenticated:
            return False
        return bool(self.who(user))

    def allows(self, user, obj: Model | None = None) -> bool:
        """Return True if the user may use this capability on the object (or at all)."""
        if not self.admits(user):
            return False
        if obj is None:
            return True
        if self.rule is not None:
            return bool(self.rule(user, obj))
        if self.scope is not None:
            found = type(obj)._default_manager.filter(pk=obj.pk)
            return self.scope(user, found).exists()
        return True

    def filter(self, user, queryset: QuerySet) -> QuerySet:
        """Return the objects of the queryset the user may reach through this policy."""
        if not self.admits(user):
            return queryset.none()
        if self.scope is not None:
            return self.scope(user, queryset)
        if self.rule is not None:
            allowed = [obj.pk for obj in queryset if self.rule(user, obj)]
            return queryset.filter(pk__in=allowed)
        return queryset

    # --- enforcing (HTML views) -----------------------------------------------------------

    def check(self, request) -> None:
        """Refuse a request whose user this policy does not admit (see the module)."""
        if self.admits(request.user):
            return
        if self.login and not request.user.is_authenticated:
            raise LoginRequired
        if self.hide:
            raise Http404
        raise PermissionDenied

    def check_object(self, request, obj: Model) -> Model:
        """Return the object if the request's user may use this capability on it."""
        self.check(request)
        if not self.allows(request.user, obj):
            if self.hide:
                raise Http404
            raise PermissionDenied
        return obj

    def get_object(self, request, queryset: QuerySet, **lookup) -> Model:
        """Fetch one object through the policy: 404 if there is none, else as check_object.

        With a scope, the object is looked up inside it (one query); a policy that hides
        refuses with 404 either way, so the answer does not tell whether it exists.
        """
        self.check(request)
        if self.scope is not None and self.hide:
            try:
                return self.scope(request.user, queryset).get(**lookup)
            except queryset.model.DoesNotExist:
                raise Http404 from None
        try:
            obj = queryset.get(**lookup)
        except queryset.model.DoesNotExist:
            raise Http404 from None
        return self.check_object(request, obj)


class LoginRequired(Exception):
    """Raised by Policy.check for an anonymous visitor; @requires answers with the login."""


def any_of(name: str, *policies: Policy, hide: bool = False, description: str = "") -> Policy:
    """Return a policy that allows what any of the given policies allows."""

    def who(user) -> bool:
        return any(policy.admits(user) for policy in policies)

    def rule(user, obj) -> bool:
        return any(policy.allows(user, obj) for policy in policies)

    def scope(user, queryset):
        admitted = [policy for policy in policies if policy.admits(user)]
        if not admitted:
            return queryset.none()
        combined = admitted[0].filter(user, queryset)
        for policy in admitted[1:]:
            combined = combined | policy.filter(user, queryset)
        return combined.distinct()

    return Policy(
        name,
        who=who,
        rule=rule,
        scope=scope,
        login=all(policy.login for policy in policies),
        hide=hide,
        description=description,
    )


# The policies every app uses ---------------------------------------------------------------

PUBLIC = Policy("public", login=False, description="Anyone, logged in or not.")
LOGGED_IN = Policy("logged_in", description="Anyone logged in; the page shows their own.")
STAFF = Policy(
    "staff",
    who=is_staff_member,
    description="The organisers: staff users and project leaders.",
)
PROJECT_LEADER = Policy(
    "project_leader",
    who=is_project_leader,
    description="Project leaders (and superusers).",
)
# Retention of personal data, children's included: project leaders answer for it.
MANAGE_RETENTION = Policy(
    "manage_retention",
    who=is_project_leader,
    description="What the retention rules clear: project leaders.",
)
ADMIN_SITE = Policy(
    "admin_site",
    who=lambda user: user.is_active and user.is_staff,
    description="The admin site (its pages check each model's permissions).",
)
# Messages to groups (core.group_messages): staff write and read them; the report names
# the adults reached (never a child: core.audiences).
GROUP_MESSAGES = Policy(
    "group_messages",
    who=is_staff_member,
    description="Messages to groups: staff write, send and read the reports.",
)

# Questions of our own (core.questions): staff write the questions of offers, calls...
# and read the answers; a file answer is downloaded by staff only.
EDIT_QUESTIONS = Policy(
    "edit_questions",
    who=is_staff_member,
    description="The questions staff add to forms, and file answers: staff.",
)


def _receives_messages(user) -> bool:
    from core.models import GroupMessageRecipient
    from core.roles import Role

    if any(has_role(user, r) for r in (Role.GUARDIAN, Role.ARTIST, Role.VENUE_HOST)):
        return True
    # Staff and the other roles read no messages of their own here (no query for them); a
    # login without a role (a member with their own login, a ticket buyer) does when one
    # was sent to them.
    if is_staff_member(user) or user_roles(user):
        return False
    return GroupMessageRecipient.objects.filter(user=user).exists()


MESSAGES_TO_ME = Policy(
    "messages_to_me",
    who=_receives_messages,
    description="A login's own messages from staff: guardians, artists, hosts, anyone sent one.",
)
SUPERUSER = Policy(
    "superuser",
    who=lambda user: user.is_superuser,
    description="The site's superusers: logins and API tokens.",
)


def holds(*roles: str, staff: bool = True) -> UserTest:
    """Return a user test: holds any of the roles, or is staff (unless ``staff=False``)."""

    def who(user) -> bool:
        return (staff and is_staff_member(user)) or any(has_role(user, r) for r in roles)

    return who


def role(name: str, *roles: str, staff: bool = True, description: str = "") -> Policy:
    """Return a policy admitting the holders of any of the roles (and staff, unless not)."""
    return Policy(name, who=holds(*roles, staff=staff), description=description)


# Declaring views ---------------------------------------------------------------------------


def requires(policy: Policy, *, obj: str | None = "pk"):
    """Declare the policy of an HTML view and refuse whom it does not admit.

    ``obj`` names the URL parameter that identifies the object the policy is about (the
    view fetches it with ``policy.get_object``); the permission matrix reads it to know
    which object of its world a URL shows. The decorated view carries ``policy`` and
    ``policy_object`` for the test that walks every URL.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                policy.check(request)
            except LoginRequired:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.policy = policy
        wrapped.policy_object = obj
        return wrapped

    return decorate


def declared_policies(view) -> list[Policy]:
    """Return the policies a view callable or class declares (an HTML view, an API view)."""
    policy = getattr(view, "policy", None)
    if policy is not None:
        return [policy]
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None) or view
    if getattr(cls, "policy", None) is not None:
        return [cls.policy]
    return list((getattr(cls, "policies", None) or {}).values())
