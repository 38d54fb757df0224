"""The orchestra's policies about a child's data agree with the hand-written table.

expectations.py says, without reading any policy, whose names, health data and contacts
each role may read (from SPEC.md). Here the declared policies (orchestra.policies) are
asked about the world's members, role by role: a policy that let a tutor read a child's
medical notes, or a past tour leader a child's name, fails here even if no page shows it
yet.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from orchestra.models import Member
from orchestra.policies import (
    ACT_FOR_CHILD,
    SEE_CHILD_CONTACTS,
    SEE_CHILD_FULL_NAME,
    SEE_CHILD_HEALTH_DATA,
)
from tests.permissions import expectations
from tests.permissions.world import MEDICAL, ROLES

pytestmark = pytest.mark.django_db

MEMBERS = ("child", "other_child", "teen", "applicant")


def fresh_user(world, role):
    """The role's login as a request would load it: policies keep answers on the user."""
    user = world.users[role]
    return AnonymousUser() if user is None else get_user_model().objects.get(pk=user.pk)


def allowed(world, policy, role) -> set[str]:
    """Return the world's members (by key) the policy allows the role."""
    ids = {getattr(world.objects, key).pk: key for key in MEMBERS}
    found = policy.filter(fresh_user(world, role), Member.objects.filter(pk__in=ids))
    return {ids[pk] for pk in found.values_list("pk", flat=True)}


@pytest.mark.parametrize("role", ROLES)
def test_full_names_as_the_table_says(world, role):
    # Tutors read the first name and an initial of their sessions' members, not more.
    expected = set() if role == "tutor" else expectations.NAMES_VISIBLE_TO.get(role, set())
    assert allowed(world, SEE_CHILD_FULL_NAME, role) == expected


@pytest.mark.parametrize("role", ROLES)
def test_health_data_as_the_table_says(world, role):
    with_notes = {key for key in MEDICAL if key in MEMBERS}  # the child, the other child
    expected = expectations.MEDICAL_VISIBLE_TO.get(role, set()) & with_notes
    assert allowed(world, SEE_CHILD_HEALTH_DATA, role) & with_notes == expected


@pytest.mark.parametrize("role", ROLES)
def test_contacts_as_the_table_says(world, role):
    # The guardian's contact details are the child's contacts (the emergency sheet).
    may = role in expectations.PRIVATE_VISIBLE_TO["guardian_email"]
    assert ("child" in allowed(world, SEE_CHILD_CONTACTS, role)) == may


@pytest.mark.parametrize("role", ROLES)
def test_only_the_guardians_act_for_a_child(world, role):
    expected = {"guardian": {"child", "applicant"}, "other_guardian": {"other_child"}}
    assert allowed(world, ACT_FOR_CHILD, role) == expected.get(role, set())


def test_tutors_and_past_tour_leaders_never_read_health_data_or_contacts(world):
    for role in ("tutor", "past_tour_leader"):
        assert not allowed(world, SEE_CHILD_HEALTH_DATA, role), role
        assert not allowed(world, SEE_CHILD_CONTACTS, role), role
