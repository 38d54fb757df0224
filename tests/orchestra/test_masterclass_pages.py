# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Master-class pages for every role: the guardian's page and its actions, the list and
participants for staff and tutors, and the section on "My children"."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestra.models import Guardian, Guardianship
from orchestra.services import masterclasses as services
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, ROLES, TEEN_NAME, new_member
from tests.orchestra.test_masterclass_services import make_class, master_class  # noqa: F401
from ticketing.models import Registration

STAFF = {"project_leader", "admin_user"}


@pytest.fixture
def as_role(client, request):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def setting(master_class, child, other_child, teen, member_user, other_guardian):
    return master_class


@pytest.mark.parametrize("role", ROLES)
def test_guardian_page_for_every_role(as_role, role, setting):
    response = as_role(role).get("/foresatt/mesterklasser/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role in ("guardian", "other_guardian", "member_user"):
        assert response.status_code == 200
        body = response.content.decode()
        assert setting.title_nb in body
        shown = {
            "guardian": CHILD_NAME,
            "other_guardian": OTHER_CHILD_NAME,
            "member_user": TEEN_NAME,
        }[role]
        assert shown[0] in body
        for names in (CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME):
            if names != shown:
                assert names[0] not in body
        return
    # The page and its forms are about the family's children (SIGN_UP_FOR_MASTER_CLASSES):
    # a login that signs up nobody is not told they exist.
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_sign_up_action_for_every_role(as_role, role, setting, child):
    response = as_role(role).post(
        f"/foresatt/mesterklasser/{setting.pk}/sign-up/", {"member": child.pk}
    )
    signed = Registration.objects.filter(event=setting).exclude(state="cancelled").exists()
    if role == "anonymous":
        assert response.status_code == 302
        assert not signed
        return
    if role == "guardian":
        assert response.status_code == 302
        assert signed
        return
    # Staff sign children up through the API or the admin; this page is the family's.
    assert response.status_code == 404
    assert not signed


def test_guardian_signs_up_cancels_and_joins_the_waitlist(
    client, make_class, child, other_child, guardian, other_guardian
):
    small = make_class(capacity=1)
    client.force_login(other_guardian)
    client.post(f"/foresatt/mesterklasser/{small.pk}/sign-up/", {"member": other_child.pk})
    client.force_login(guardian)
    page = client.get("/foresatt/mesterklasser/").content.decode()
    assert 'name="join_waitlist"' in page
    client.post(
        f"/foresatt/mesterklasser/{small.pk}/sign-up/",
        {"member": child.pk, "join_waitlist": "1"},
    )
    registration = Registration.objects.get(event=small, user=guardian)
    assert registration.state == Registration.State.WAITLISTED
    page = client.get("/foresatt/mesterklasser/").content.decode()
    assert f"/foresatt/mesterklasser/{small.pk}/cancel/" in page
    client.force_login(other_guardian)
    client.post(f"/foresatt/mesterklasser/{small.pk}/cancel/", {"member": other_child.pk})
    registration.refresh_from_db()
    assert registration.has_open_waitlist_offer
    client.force_login(guardian)
    page = client.get("/foresatt/mesterklasser/").content.decode()
    assert f"/foresatt/mesterklasser/{small.pk}/accept/" in page
    client.post(f"/foresatt/mesterklasser/{small.pk}/accept/", {"member": child.pk})
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED


def test_a_refused_sign_up_shows_the_reason(client, make_class, junior_group, other_child):
    junior = make_class(groups=[junior_group])
    client.force_login(other_child.guardianships.get().guardian.user)
    response = client.post(
        f"/foresatt/mesterklasser/{junior.pk}/sign-up/",
        {"member": other_child.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not Registration.objects.filter(event=junior).exists()
    assert "Juniorsymfonikerne" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_participants_page_for_every_role(as_role, role, setting, child, guardian):
    services.sign_up(event=setting, member=child, by=guardian)
    url = f"/orkester/mesterklasser/{setting.pk}/deltakere/"
    response = as_role(role).get(url)
    listing = as_role(role).get("/orkester/mesterklasser/")
    if role == "anonymous":
        assert response.status_code == 302
        assert listing.status_code == 302
        return
    if role in STAFF:
        assert response.status_code == 200
        assert " ".join(CHILD_NAME) in response.content.decode()
        assert listing.status_code == 200
        return
    if role == "tutor":
        assert response.status_code == 200
        body = response.content.decode()
        assert f"{CHILD_NAME[0]} {CHILD_NAME[1][0]}." in body
        assert CHILD_NAME[1] not in body
        assert listing.status_code == 200
        return
    assert response.status_code == 403
    assert listing.status_code == 403


def test_my_children_shows_sign_ups(client, master_class, child, guardian):
    services.sign_up(event=master_class, member=child, by=guardian)
    client.force_login(guardian)
    body = client.get("/foresatt/").content.decode()
    assert master_class.title_nb in body
    assert "/foresatt/mesterklasser/" in body


def test_guardian_page_query_count_is_constant(
    client, make_class, child, guardian, municipality, youth_group
):
    client.force_login(guardian)
    make_class()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/foresatt/mesterklasser/").status_code == 200
    for n in range(4):
        make_class(days=20 + n)
        extra = new_member(("Barn", f"Nummer{n}"), age=10, municipality=municipality)
        Guardianship.objects.create(
            member=extra, guardian=Guardian.objects.get(user=guardian), relation="mother"
        )
        extra.memberships.create(group=youth_group, joined_on=timezone.localdate() - timedelta(1))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/foresatt/mesterklasser/").status_code == 200
    assert len(many) == len(few)


def test_participants_query_count_is_constant(
    client, make_class, project_leader, child, other_child, teen, guardian, other_guardian
):
    big = make_class(capacity=10)
    services.sign_up(event=big, member=child, by=project_leader)
    client.force_login(project_leader)
    url = f"/orkester/mesterklasser/{big.pk}/deltakere/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.sign_up(event=big, member=other_child, by=project_leader)
    services.sign_up(event=big, member=teen, by=project_leader)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as few:
        client.get("/orkester/mesterklasser/")
    make_class(days=30)
    make_class(days=31)
    with CaptureQueriesContext(connection) as many:
        client.get("/orkester/mesterklasser/")
    assert len(many) == len(few)


def test_participants_show_the_waitlist_in_order(
    client, make_class, child, other_child, guardian, other_guardian, project_leader
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    services.sign_up(event=small, member=other_child, by=other_guardian)
    client.force_login(project_leader)
    body = client.get(
        f"/orkester/mesterklasser/{small.pk}/deltakere/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert body.index(" ".join(CHILD_NAME)) < body.index(" ".join(OTHER_CHILD_NAME))
    listing = client.get("/orkester/mesterklasser/").content.decode()
    assert small.title_nb in listing or small.title_en in listing


@pytest.mark.parametrize("role", ROLES)
def test_cancel_action_for_every_role(as_role, role, setting, child, guardian):
    services.sign_up(event=setting, member=child, by=guardian)
    response = as_role(role).post(
        f"/foresatt/mesterklasser/{setting.pk}/cancel/", {"member": child.pk}
    )
    active = Registration.objects.filter(event=setting).exclude(state="cancelled").exists()
    if role == "anonymous":
        assert response.status_code == 302
        assert active
    elif role == "guardian":
        assert response.status_code == 302
        assert not active
    else:
        assert response.status_code == 404
        assert active


@pytest.mark.parametrize("role", ROLES)
def test_staff_sign_up_and_cancel_on_the_participant_list(as_role, role, setting, child):
    url = f"/orkester/mesterklasser/{setting.pk}/"
    response = as_role(role).post(url + "sign-up/", {"member": child.pk})
    active = Registration.objects.filter(event=setting).exclude(state="cancelled")
    if role not in STAFF:
        assert response.status_code in (302, 403) and not active.exists()
        if role != "anonymous":
            assert response.status_code == 403
        return
    assert response.status_code == 302
    assert active.count() == 1
    as_role(role).post(url + "cancel/", {"member": child.pk})
    assert not active.exists()


def test_staff_see_whom_they_may_sign_up(client, master_class, child, other_child, project_leader):
    client.force_login(project_leader)
    body = client.get(f"/orkester/mesterklasser/{master_class.pk}/deltakere/").content.decode()
    assert f'value="{child.pk}"' in body and f'value="{other_child.pk}"' in body
