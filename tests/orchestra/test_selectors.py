"""Who may see which members and guardians: the selectors every view goes through."""

import pytest
from django.contrib.auth.models import AnonymousUser

from orchestra import services
from orchestra.selectors import (
    consents_visible_to,
    guardians_visible_to,
    is_orchestra_staff,
    members_visible_to,
)
from tests.factories import UserFactory
from tests.orchestra.factories import new_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_role(db):
    """The admin's is_staff flag alone gives no access to children's data."""
    return UserFactory(username="staffer", is_staff=True)


def test_staff_see_every_member_and_others_their_own(
    admin_user,
    project_leader,
    staff_without_role,
    guardian,
    other_guardian,
    member_user,
    tutor,
    juror,
    child,
    other_child,
    teen,
):
    everyone = {child, other_child, teen}
    assert set(members_visible_to(admin_user)) == everyone
    assert set(members_visible_to(project_leader)) == everyone
    assert is_orchestra_staff(project_leader) and not is_orchestra_staff(staff_without_role)
    assert set(members_visible_to(guardian)) == {child}
    assert set(members_visible_to(other_guardian)) == {other_child}
    assert set(members_visible_to(member_user)) == {teen}
    for user in (staff_without_role, tutor, juror, AnonymousUser(), None):
        assert not members_visible_to(user).exists()
        assert not guardians_visible_to(user).exists()
        assert not consents_visible_to(user).exists()


def test_a_guardian_of_two_sees_both_once(guardian, child, municipality, youth_group):
    sibling = new_member(("Lillebror", "Strykersen"), age=9, municipality=municipality)
    services.add_guardian(
        member=sibling,
        relation="mother",
        first_name="Gunn",
        last_name="Strykersen",
        email="guardian@example.org",
        by=None,
    )
    visible = list(members_visible_to(guardian))
    assert sorted(m.pk for m in visible) == sorted([child.pk, sibling.pk])
    assert [g.email for g in guardians_visible_to(guardian)] == ["guardian@example.org"]


def test_staff_without_the_role_get_nothing_from_the_api(api_as, staff_without_role, child):
    client = api_as(staff_without_role)
    assert client.get("/api/v1/members/").json()["count"] == 0
    assert client.get(f"/api/v1/members/{child.pk}/").status_code == 404
    assert client.get("/api/v1/guardians/").json()["count"] == 0
    assert client.get("/api/v1/status-changes/").status_code == 403
