"""The children's cases, by hand (expectations.CHILD_CASES): who gets a child's name,
health data and a family's contacts. Independent of the policies the matrix derives its
expectations from: a policy that lets too many in fails here."""

import pytest
from django.urls import reverse

from tests.permissions import expectations
from tests.permissions.matrix import value_of
from tests.permissions.world import ROLES


@pytest.mark.parametrize(
    "case", expectations.CHILD_CASES, ids=[case[1] for case in expectations.CHILD_CASES]
)
def test_only_those_named_get_the_childs_data(world, case, db):
    _what, name, params, rule = case
    assert set(rule) == set(ROLES)
    kwargs = {key: value_of(world, spec) for key, spec in params.items()}
    url = reverse(name.removeprefix("api:"), kwargs=kwargs)
    problems = []
    for role in ROLES:
        status = world.clients[role].get(url).status_code
        if status != rule[role]:
            problems.append(f"{role}: {status}, the children's cases say {rule[role]}")
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)


def test_the_cases_cover_names_health_and_contacts():
    """A case of each kind the issue names: a child's name, health data, contacts."""
    text = " ".join(case[0] for case in expectations.CHILD_CASES)
    for kind in ("name", "health", "contacts"):
        assert kind in text
