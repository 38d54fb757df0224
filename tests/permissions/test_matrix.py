"""The permission matrix: every URL pattern of the site, found in the URL resolver, asked
for by every role, against what its view's declared policy says (derived.py) or, for the
admin's pages and views that declare no policy yet, the table in expectations.py.

For each pattern and role: the status the policy (or the table) gives; no member's name
in the answer (or its redirect) unless SPEC.md lets that role see that member; and, for
the API's lists and records, no write (POST on a list, DELETE on a record) by a role the
route's write policy does not let write. Then a sample of writes on someone's records (a
count at a host's exhibition, a leave for a guardian's child...) as every role.
"""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from core.permissions import view_policy
from tests.permissions import derived, expectations
from tests.permissions.derived import policy_of
from tests.permissions.matrix import (
    body_of,
    forbidden_names,
    medical_in,
    names_in,
    params_for,
    private_in,
    query_for,
    value_of,
)
from tests.permissions.walker import discover
from tests.permissions.world import ARTIST_NAMES, ROLES

PATTERNS = discover()
WALKED_VIEWS = {id(pattern.callback) for pattern in PATTERNS}

# An answer that refuses a write: not logged in, not allowed, not found, wrong method.
REFUSED = {401, 403, 404, 405}


def test_every_url_pattern_has_a_policy_or_a_row_in_the_table():
    undeclared = {pattern.key for pattern in PATTERNS if policy_of(pattern) is None}
    declared = {pattern.key for pattern in PATTERNS} - undeclared
    missing = sorted(key for key in undeclared if expectations.rule_for(key) is None)
    stale = sorted(set(expectations.EXPECTED) - undeclared)
    assert not missing, (
        "URL patterns with neither a declared policy nor a row in "
        f"tests/permissions/expectations.py EXPECTED: {missing}"
    )
    assert not stale, (
        "EXPECTED rows for patterns the site no longer has, or whose view now declares a "
        f"policy (the matrix derives those: remove the row): {sorted(set(stale) & declared)}"
        f" {sorted(set(stale) - declared)}"
    )


def test_every_rule_names_every_role():
    for key, rule in expectations.EXPECTED.items():
        assert set(rule) == set(ROLES), f"{key}: the rule does not give a status for every role"


def test_every_path_of_the_api_schema_is_walked(openapi):
    """The schema's paths are all among the walked patterns (nothing hides from the matrix)."""
    unwalked = []
    schema_paths = list((openapi.spec / "paths").keys())  # noqa: SIM118 -- a SchemaPath
    assert schema_paths
    for schema_path in schema_paths:
        path = re.sub(r"\{[^}]+\}", "1", schema_path)
        try:
            match = resolve(path)
        except Resolver404:
            unwalked.append(schema_path)
            continue
        if id(match.func) not in WALKED_VIEWS:
            unwalked.append(schema_path)
    assert not unwalked, f"API schema paths the matrix does not walk: {unwalked}"


def _expected_names(key: str, role: str) -> set[str]:
    return expectations.NAMES_VISIBLE_TO.get(
        role, set()
    ) | expectations.NAMES_BEHIND_SECRET_LINKS.get(key, set())


def _status_problem(pattern, world, role, rule, response) -> str | None:
    want = derived.expected(pattern, world, role)
    if want is not None:
        problem = derived.mismatch(want, response)
        return f"{role}: {problem}" if problem else None
    status = response.status_code
    if status != rule[role]:
        return f"{role}: {status}, the table says {rule[role]}"
    if status == 302 and expectations.redirects_to_login(pattern.key, role):
        location = response.get("Location", "")
        if "login" not in location:
            return f"{role}: redirected to {location}, not to the login"
    return None


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.key)
def test_every_role_gets_what_the_policy_says(world, pattern, db):
    rule = expectations.rule_for(pattern.key)
    assert rule is not None or policy_of(pattern) is not None, (
        f"{pattern.key} ({pattern.route}) has no policy and no row in EXPECTED"
    )
    path = pattern.path(params_for(pattern, world))
    query = query_for(pattern, world)
    assert not names_in(path + query), f"a member's name in the URL {path}"
    problems = []
    for role in expectations.roles_for(pattern.key):
        response = world.clients[role].get(path + ("?" + query if query else ""))
        problem = _status_problem(pattern, world, role, rule, response)
        if problem:
            problems.append(problem)
        text = body_of(response) + response.get("Location", "")
        leaked = names_in(text) - _expected_names(pattern.key, role)
        if leaked:
            problems.append(f"{role}: the answer names members {sorted(leaked)}")
        if role in expectations.JURORS and pattern.key.startswith(expectations.BLIND_TO_JURORS):
            named = [name for name in ARTIST_NAMES if name.split()[1].lower() in text.lower()]
            if named:
                problems.append(f"{role}: a blind jury answer names applicants {named}")
        private = {
            key
            for key in private_in(text)
            if role not in expectations.PRIVATE_VISIBLE_TO[key]
            and pattern.key not in expectations.PRIVATE_BEHIND_SECRET_LINKS.get(key, ())
        }
        if private:
            problems.append(f"{role}: the answer shows private data {sorted(private)}")
        restricted = medical_in(text) - expectations.MEDICAL_VISIBLE_TO.get(role, set())
        if restricted:
            problems.append(f"{role}: the answer shows restricted notes {sorted(restricted)}")
    problems += _writes_refused(world, pattern, path)
    assert not problems, f"{pattern.key} {path}:\n  " + "\n  ".join(problems)


def _writes_refused(world, pattern, path) -> list[str]:
    """POST to an API list and DELETE an API record as every role but staff: refused,
    unless the table names the role as a writer there. Each write is rolled back."""
    if not pattern.is_api or pattern.key.endswith(".format"):
        return []
    if pattern.api_action not in ("list", "retrieve"):
        return []
    writers = _writers(pattern, world)
    problems = []
    for role in ROLES:
        if role in expectations.STAFF:
            continue
        client = world.clients[role]
        with transaction.atomic():
            if pattern.api_action == "list":
                response = client.post(path, {}, content_type="application/json")
            else:
                response = client.delete(path)
            transaction.set_rollback(True)
        status = response.status_code
        if role in writers:
            if status in REFUSED or status >= 500:
                problems.append(f"{role}: {response.request['REQUEST_METHOD']} {status}, a writer")
        elif status not in REFUSED:
            problems.append(f"{role}: {response.request['REQUEST_METHOD']} answered {status}")
    return problems


def _writers(pattern, world) -> set[str]:
    """Return the roles the route's POST (a list) or DELETE (a record) policy lets write."""
    method = "post" if pattern.api_action == "list" else "delete"
    action = (getattr(pattern.callback, "actions", None) or {}).get(method)
    cls = pattern.api_view
    if action is None:
        return set()  # the route takes no such write: a 405 to everyone
    view = cls()
    view.action = action
    policy = view_policy(view, SimpleNamespace(method=method.upper()))
    if policy is None:
        return set()
    obj = derived.object_of(pattern, world) if method == "delete" else None
    return {role for role in ROLES if policy.allows(world.users[role] or AnonymousUser(), obj)}


def test_no_forbidden_names_helper_is_blind():
    """The name check finds the world's names (a check that cannot fail proves nothing)."""
    assert forbidden_names("visitor", "Zyxchild A.") == {"child"}
    assert forbidden_names("guardian", "Zyxchild Ablevik") == set()
    assert medical_in("Asthma, Mdxothernote.") == {"other_child"}


@pytest.mark.parametrize(
    "write", expectations.FOREIGN_WRITES, ids=[write[0] for write in expectations.FOREIGN_WRITES]
)
def test_writes_on_others_records_only_by_those_allowed(world, write, db):
    _what, method, name, args, data, allowed = write
    url = reverse(name.replace("api:", ""), kwargs=_values(world, args)) if args else None
    url = url or reverse(name.replace("api:", ""))
    payload = _values(world, data)
    problems = []
    for role in ROLES:
        client = world.clients[role]
        with transaction.atomic():
            if name.startswith("api:"):
                response = getattr(client, method)(url, payload, content_type="application/json")
            else:
                response = getattr(client, method)(url, payload)
            transaction.set_rollback(True)
        status = response.status_code
        to_login = status == 302 and "login" in response.get("Location", "")
        refused = 400 <= status < 500 or to_login
        if role in allowed and (status >= 400 or to_login):
            problems.append(f"{role}: {status}, but may")
        elif role not in allowed and not refused:
            problems.append(f"{role}: {status}, but may not")
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)


def _values(world, specs: dict) -> dict:
    return {key: value_of(world, spec) for key, spec in specs.items()}


FORMS = [
    pattern
    for pattern in PATTERNS
    if pattern.key in expectations.POST_ONLY_PAGES
    and pattern.key not in expectations.FORMS_NOT_POSTED
]


def test_every_post_only_page_is_in_the_list_of_forms(world, db):
    """A page that answers a GET with 405 to a role it lets in is a form: in POST_ONLY_PAGES."""
    wrong = []
    for pattern in PATTERNS:
        if pattern.is_api or pattern.is_admin:
            continue
        path = pattern.path(params_for(pattern, world))
        statuses = set()
        for role in ROLES:
            statuses.add(world.clients[role].get(path).status_code)
            if 405 in statuses:
                break
        listed = pattern.key in expectations.POST_ONLY_PAGES
        if (405 in statuses) != listed:
            wrong.append(f"{pattern.key}: GET {sorted(statuses)}, listed: {listed}")
    assert not wrong, "POST_ONLY_PAGES is wrong for:\n  " + "\n  ".join(wrong)


def _owners(form, world) -> set[str]:
    derived_owners = derived.let_through(form, world)
    if derived_owners is not None:
        return derived_owners
    return expectations.FORM_OWNERS.get(form.key, set())


def test_every_form_has_its_owners():
    missing = sorted(
        form.key
        for form in FORMS
        if policy_of(form) is None and form.key not in expectations.FORM_OWNERS
    )
    assert not missing, f"POST-only pages with no policy and not in FORM_OWNERS: {missing}"
    stale = sorted(
        form.key
        for form in FORMS
        if policy_of(form) is not None and form.key in expectations.FORM_OWNERS
    )
    assert not stale, f"FORM_OWNERS rows of pages that declare a policy (remove them): {stale}"


@pytest.mark.parametrize("form", FORMS, ids=lambda pattern: pattern.key)
def test_forms_refuse_everyone_but_their_owners(world, form, db):
    path = form.path(params_for(form, world))
    owners = _owners(form, world)
    problems = []
    for role in ROLES:
        with transaction.atomic():
            response = world.clients[role].post(path, {})
            transaction.set_rollback(True)
        status = response.status_code
        to_login = status == 302 and "login" in response.get("Location", "")
        if status >= 500:
            problems.append(f"{role}: {status}")
        elif role not in owners and not (400 <= status < 500 or to_login):
            problems.append(f"{role}: {status}, but is no owner of the form")
        elif role in owners and to_login:
            problems.append(f"{role}: sent to the login, but owns the form")
    assert not problems, f"{form.key} {path}:\n  " + "\n  ".join(problems)


def test_the_derivation_is_not_blind(world, db):
    """The derivation tells the roles apart by the world, and mismatch() sees a wrong answer."""
    scanner = next(pattern for pattern in PATTERNS if pattern.key == "ticketing:scanner")
    host = derived.expected(scanner, world, "venue_host")
    other = derived.expected(scanner, world, "other_host")
    anonymous = derived.expected(scanner, world, "anonymous")
    assert host.let_through
    assert other.statuses == {404}
    assert anonymous.to_login
    ok = SimpleNamespace(status_code=200, get=lambda *_: "")
    refused = SimpleNamespace(status_code=404, get=lambda *_: "")
    assert derived.mismatch(other, ok) is not None
    assert derived.mismatch(host, refused) is not None
    assert derived.mismatch(host, ok) is None
    assert derived.mismatch(other, refused) is None
