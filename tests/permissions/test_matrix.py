"""The permission matrix: every URL pattern of the site, found in the URL resolver, asked
for by every role, against the table in expectations.py.

For each pattern and role: the status the table gives; no member's name in the answer
(or its redirect) unless SPEC.md lets that role see that member; and, for the API's
lists and records, no write (POST on a list, DELETE on a record) by a role the table
does not name as a writer. Then a sample of writes on someone's records (a count at a
host's exhibition, a leave for a guardian's child...) as every role.
"""

import re

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from tests.permissions import expectations
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


def test_every_url_pattern_is_in_the_table():
    keys = {pattern.key for pattern in PATTERNS}
    missing = sorted(key for key in keys if expectations.rule_for(key) is None)
    stale = sorted(set(expectations.EXPECTED) - keys)
    assert not missing, (
        "URL patterns missing from tests/permissions/expectations.py EXPECTED "
        f"(say what each role gets): {missing}"
    )
    assert not stale, f"EXPECTED names patterns the site no longer has: {stale}"


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


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.key)
def test_every_role_gets_what_the_table_says(world, pattern, db):
    rule = expectations.rule_for(pattern.key)
    assert rule is not None, f"{pattern.key} ({pattern.route}) is not in EXPECTED"
    path = pattern.path(params_for(pattern, world))
    query = query_for(pattern, world)
    assert not names_in(path + query), f"a member's name in the URL {path}"
    problems = []
    for role in expectations.roles_for(pattern.key):
        response = world.clients[role].get(path + ("?" + query if query else ""))
        status = response.status_code
        if status != rule[role]:
            problems.append(f"{role}: {status}, the table says {rule[role]}")
        elif status == 302 and expectations.redirects_to_login(pattern.key, role):
            location = response.get("Location", "")
            if "login" not in location:
                problems.append(f"{role}: redirected to {location}, not to the login")
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
    writers = expectations.WRITERS.get(pattern.key, set())
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
    if not (pattern.is_api or pattern.is_admin)
    and expectations.is_form(expectations.rule_for(pattern.key))
    and pattern.key not in expectations.FORMS_NOT_POSTED
]


def test_every_form_has_its_owners_in_the_table():
    missing = sorted(form.key for form in FORMS if form.key not in expectations.FORM_OWNERS)
    assert not missing, f"POST-only pages missing from FORM_OWNERS: {missing}"


@pytest.mark.parametrize("form", FORMS, ids=lambda pattern: pattern.key)
def test_forms_refuse_everyone_but_their_owners(world, form, db):
    path = form.path(params_for(form, world))
    owners = expectations.FORM_OWNERS.get(form.key, set())
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
