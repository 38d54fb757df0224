# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""/api/v1/master-classes/ for every role, checked against the API's own schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestra.models import Section
from orchestra.services import masterclasses as services
from tests.orchestra.factories import CHILD_NAME
from tests.orchestra.test_masterclass_pages import ROLES, STAFF
from tests.orchestra.test_masterclass_services import make_class, master_class  # noqa: F401
from ticketing.models import Registration

URL = "/api/v1/master-classes/"


@pytest.fixture
def setting(master_class, child, other_child, teen, member_user, other_guardian):
    return master_class


@pytest.mark.parametrize("role", ROLES)
def test_list_for_every_role(api, role, setting, child, other_child, teen, check_schema):
    response = api(role).get(URL)
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    body = check_schema(response)
    ids = [row["id"] for row in body["results"]]
    if role in ("nobody", "artist", "juror", "venue_host"):
        assert ids == []
        return
    assert ids == [setting.pk]
    [row] = body["results"]
    assert row["places_left"] == 2
    members = {child_row["member"] for child_row in row["children"]}
    expected = {
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
        "member_user": {teen.pk},
    }.get(role, set())
    assert members == expected
    assert CHILD_NAME[0] not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_sign_up_for_every_role(api, role, setting, child, check_schema):
    response = api(role).post(f"{URL}{setting.pk}/sign-up/", {"member": child.pk}, format="json")
    signed = Registration.objects.filter(event=setting).exclude(state="cancelled").exists()
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role == "guardian" or role in STAFF:
        body = check_schema(response)
        assert body == {"member": child.pk, "standing": "confirmed", "waitlist_position": None}
        assert signed
        return
    else:
        assert response.status_code == 404
    assert not signed


@pytest.mark.parametrize("role", ROLES)
def test_cancel_for_every_role(api, role, setting, child, guardian, check_schema):
    services.sign_up(event=setting, member=child, by=guardian)
    response = api(role).post(f"{URL}{setting.pk}/cancel/", {"member": child.pk}, format="json")
    active = Registration.objects.filter(event=setting).exclude(state="cancelled").exists()
    if role == "guardian" or role in STAFF:
        assert check_schema(response)["standing"] == "none"
        assert not active
        return
    assert response.status_code in (401, 403, 404)
    assert active


def test_member_13_plus_signs_themself_up(api, setting, teen, check_schema):
    body = check_schema(
        api("member_user").post(f"{URL}{setting.pk}/sign-up/", {"member": teen.pk}, format="json")
    )
    assert body["standing"] == "confirmed"


def test_eligibility_is_a_400_with_a_clear_message(
    api, make_class, junior_group, other_child, check_schema
):
    junior = make_class(groups=[junior_group])
    response = api("other_guardian").post(
        f"{URL}{junior.pk}/sign-up/",
        {"member": other_child.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Juniorsymfonikerne" in response.json()["detail"]
    listed = api("other_guardian").get(URL).json()["results"]
    [row] = [item for item in listed if item["id"] == junior.pk] or [None]
    assert row is None


def test_full_class_waitlists_and_a_cancellation_offers_the_place(
    api, make_class, child, other_child, teen, member_user, check_schema
):
    small = make_class(capacity=1)
    api("other_guardian").post(f"{URL}{small.pk}/sign-up/", {"member": other_child.pk})
    body = check_schema(api("guardian").post(f"{URL}{small.pk}/sign-up/", {"member": child.pk}))
    assert body == {"member": child.pk, "standing": "waitlisted", "waitlist_position": 1}
    refused = api("member_user").post(
        f"{URL}{small.pk}/sign-up/", {"member": teen.pk, "join_waitlist": False}
    )
    assert refused.status_code == 400
    api("other_guardian").post(f"{URL}{small.pk}/cancel/", {"member": other_child.pk})
    [row] = check_schema(api("guardian").get(URL))["results"]
    assert row["children"][0]["standing"] == "offered"
    assert row["children"][0]["offer_expires_at"]
    body = check_schema(api("guardian").post(f"{URL}{small.pk}/accept/", {"member": child.pk}))
    assert body["standing"] == "confirmed"


@pytest.mark.parametrize("role", ROLES)
def test_participants_for_every_role(api, role, setting, child, guardian, check_schema):
    services.sign_up(event=setting, member=child, by=guardian)
    response = api(role).get(f"{URL}{setting.pk}/participants/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    if role in STAFF:
        [row] = check_schema(response)
        assert row["name"] == " ".join(CHILD_NAME)
        return
    if role == "tutor":
        [row] = check_schema(response)
        assert row["name"] == f"{CHILD_NAME[0]} {CHILD_NAME[1][0]}."
        return
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_create(api, role, season, youth_group, tutor, check_schema):
    start = timezone.now() + timedelta(days=30)
    response = api(role).post(
        URL,
        {
            "season": season.pk,
            "title_nb": "Mesterklasse messing",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "capacity": 8,
            "groups": [youth_group.pk],
            "sections": [Section.BRASS],
            "tutors": [tutor.pk],
        },
        format="json",
    )
    if role in STAFF:
        body = check_schema(response)
        assert response.status_code == 201
        assert body["capacity"] == 8 and body["sections"] == ["brass"]
        return
    assert response.status_code in (401, 403)


def test_list_query_count_is_constant(api, make_class, child, guardian):
    make_class()
    client = api("guardian")
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for days in range(20, 24):
        services.sign_up(event=make_class(days=days), member=child, by=guardian)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 5
    assert len(many) <= len(few)


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_for_every_role(api, role, setting, check_schema):
    response = api(role).get(f"{URL}{setting.pk}/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role in ("nobody", "artist", "juror", "venue_host"):
        assert response.status_code == 404
    else:
        assert check_schema(response)["id"] == setting.pk


@pytest.mark.parametrize("role", ROLES)
def test_accept_for_every_role(api, role, make_class, child, other_child, guardian, other_guardian):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=other_child, by=other_guardian)
    waiting = services.sign_up(event=small, member=child, by=guardian).registration
    services.cancel_sign_up(event=small, member=other_child, by=other_guardian)
    response = api(role).post(f"{URL}{small.pk}/accept/", {"member": child.pk}, format="json")
    waiting.refresh_from_db()
    if role == "guardian" or role in STAFF:
        assert response.status_code == 200
        assert waiting.state == Registration.State.CONFIRMED
        return
    assert response.status_code in (401, 403, 404)
    assert waiting.state == Registration.State.WAITLISTED
