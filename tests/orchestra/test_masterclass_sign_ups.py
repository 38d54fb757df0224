# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""MasterClassSignUp: which member a master class registration is for. One row per member
and class, kept across a cancellation and a new sign-up; the migration that moved the
member out of the registration's comment; /api/v1/master-class-sign-ups/ for every role."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.db import IntegrityError, transaction

from orchestra.models import MasterClassSignUp
from orchestra.selectors.masterclasses import active_sign_up, participants, sign_ups_of
from orchestra.services import masterclasses as services
from tests.orchestra.factories import CHILD_NAME
from tests.orchestra.test_masterclass_pages import ROLES
from tests.orchestra.test_masterclass_services import make_class, master_class  # noqa: F401
from ticketing.models import Registration

URL = "/api/v1/master-class-sign-ups/"


def test_sign_up_records_the_member_and_who_signed_up(master_class, child, guardian):
    signed = services.sign_up(event=master_class, member=child, by=guardian)
    row = MasterClassSignUp.objects.get()
    assert (row.event, row.member, row.registration) == (master_class, child, signed.registration)
    assert row.signed_up_by == guardian
    # The registration's comment no longer carries the member.
    assert signed.registration.comment == ""
    assert active_sign_up(master_class, child) == signed.registration


def test_signing_up_again_after_cancelling_reuses_the_row(master_class, child, guardian):
    first = services.sign_up(event=master_class, member=child, by=guardian).registration
    services.cancel_sign_up(event=master_class, member=child, by=guardian)
    assert active_sign_up(master_class, child) is None
    assert sign_ups_of([child.pk]) == {}
    second = services.sign_up(event=master_class, member=child, by=guardian).registration
    assert second.pk != first.pk
    row = MasterClassSignUp.objects.get()
    assert row.registration == second
    assert [p.member for p in participants(master_class)] == [child]
    first.refresh_from_db()
    assert first.state == Registration.State.CANCELLED


def test_one_row_per_member_and_class(master_class, child, guardian, project_leader):
    signed = services.sign_up(event=master_class, member=child, by=guardian).registration
    other = Registration.objects.create(
        event=master_class, name="x", email="x@example.org", state=Registration.State.CANCELLED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MasterClassSignUp.objects.create(event=master_class, member=child, registration=other)
    assert MasterClassSignUp.objects.get().registration == signed


def test_a_registration_of_another_event_is_refused(make_class, child, guardian):
    from django.core.exceptions import ValidationError

    one, two = make_class(), make_class(days=20)
    registration = services.sign_up(event=one, member=child, by=guardian).registration
    with pytest.raises(ValidationError):
        MasterClassSignUp(event=two, member=child, registration=registration).full_clean()


def test_migration_moves_members_out_of_comments(master_class, child, other_child, guardian):
    """The data step of 0006: markers in comments become rows; the newest registration of
    a member and class wins, unknown members are skipped, the comments are cleared."""
    migration = importlib.import_module("orchestra.migrations.0006_master_class_sign_ups")
    old = Registration.objects.create(
        event=master_class,
        name="g",
        email="g@example.org",
        state=Registration.State.CANCELLED,
        comment=f"orchestra-member:{child.pk}",
    )
    new = Registration.objects.create(
        event=master_class, name="g", email="g@example.org", comment=f"orchestra-member:{child.pk}"
    )
    ghost = Registration.objects.create(
        event=master_class, name="h", email="h@example.org", comment="orchestra-member:999999"
    )
    plain = Registration.objects.create(
        event=master_class, name="i", email="i@example.org", comment="Allergic to nuts"
    )
    migration.sign_ups_from_markers(global_apps, None)
    [row] = MasterClassSignUp.objects.all()
    assert (row.member, row.registration) == (child, new)
    for registration in (old, new, ghost):
        registration.refresh_from_db()
        assert registration.comment == ""
    plain.refresh_from_db()
    assert plain.comment == "Allergic to nuts"


@pytest.fixture
def signed_up(
    master_class, child, other_child, teen, guardian, other_guardian, member_user, project_leader
):
    return {
        "child": services.sign_up(event=master_class, member=child, by=guardian),
        "other_child": services.sign_up(event=master_class, member=other_child, by=other_guardian),
        "teen": services.sign_up(event=master_class, member=teen, by=member_user),
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_own_sign_ups_only(api, role, signed_up, child, other_child, teen, check_schema):
    response = api(role).get(URL)
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    body = check_schema(response)
    members = {row["member"] for row in body["results"]}
    expected = {
        "admin_user": {child.pk, other_child.pk, teen.pk},
        "project_leader": {child.pk, other_child.pk, teen.pk},
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
        "member_user": {teen.pk},
    }.get(role, set())
    assert members == expected
    # Two places: the teen, signed up last, waits.
    states = {row["member"]: row["state"] for row in body["results"]}
    assert all(
        state == ("waitlisted" if m == teen.pk else "confirmed") for m, state in states.items()
    )
    assert CHILD_NAME[0] not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_api_detail_of_another_child_is_404(api, role, signed_up, check_schema):
    row = MasterClassSignUp.objects.get(registration=signed_up["child"].registration)
    response = api(role).get(f"{URL}{row.pk}/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role in ("admin_user", "project_leader", "guardian"):
        assert check_schema(response)["id"] == row.pk
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["guardian", "project_leader"])
def test_api_is_read_only(api, role, signed_up):
    row = MasterClassSignUp.objects.get(registration=signed_up["child"].registration)
    assert api(role).delete(f"{URL}{row.pk}/").status_code in (403, 405)
    assert MasterClassSignUp.objects.count() == 3


def test_api_query_count_is_constant(
    api, make_class, child, guardian, django_assert_max_num_queries
):
    services.sign_up(event=make_class(), member=child, by=guardian)
    client = api("project_leader")
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    for days in range(20, 26):
        services.sign_up(event=make_class(days=days), member=child, by=guardian)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(URL).json()["results"]) == 7
