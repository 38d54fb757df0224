"""The orchestra API for every role: who sees which members, guardians and consents.

Roles: the secretariat (superuser) and the project leader are staff; the guardian is
the guardian of `child`; `other_guardian` is the guardian of another child only; the
member has their own login; juror, artist, venue host, tutor and nobody hold no
orchestra data; anonymous is not logged in.
"""

import pytest
from django.utils import timezone

from orchestra import services
from orchestra.models import ConsentAcceptance, Guardian, Member, StatusChange
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    TEEN_NAME,
    born_years_ago,
    instrument,
    new_member,
)

pytestmark = pytest.mark.django_db

STAFF = ("admin_user", "project_leader")
NO_ORCHESTRA_DATA = ("juror", "artist", "venue_host", "tutor", "nobody")
ROLES = (*STAFF, "guardian", "other_guardian", "member_user", *NO_ORCHESTRA_DATA, "anonymous")
LOGGED_IN = tuple(role for role in ROLES if role != "anonymous")
NOT_STAFF = tuple(role for role in ROLES if role not in STAFF)


@pytest.fixture
def client_for(request, api_as, child, other_child, member_user):
    def client(role):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return api_as(user)

    return client


def denied(response):
    return response.status_code in (401, 403)


def detail(kind, pk):
    return f"/api/v1/{kind}/{pk}/"


# Members --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_members(client_for, role, child, other_child, teen, check_schema):
    response = client_for(role).get("/api/v1/members/")
    if role == "anonymous":
        assert denied(response)
        return
    body = check_schema(response)
    seen = {item["id"]: item for item in body["results"]}
    expected = {
        "admin_user": {child.pk, other_child.pk, teen.pk},
        "project_leader": {child.pk, other_child.pk, teen.pk},
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
        "member_user": {teen.pk},
    }.get(role, set())
    assert set(seen) == expected
    for item in seen.values():
        assert ("medical_notes" in item) == (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_one_child_for_staff_and_their_own_guardian_only(client_for, role, child, check_schema):
    response = client_for(role).get(detail("members", child.pk))
    if role == "anonymous":
        assert denied(response)
    elif role in (*STAFF, "guardian"):
        body = check_schema(response)
        assert (body["first_name"], body["last_name"]) == CHILD_NAME
        assert body["current_status"] == "active"
        assert [i["name"] for i in body["instruments"]]
        assert {m["group_name"] for m in body["memberships"]} == {
            "Ungdomssymfonikerne",
            "Juniorsymfonikerne",
        }
        assert [g["relation"] for g in body["guardians"]] == ["mother"]
        if role in STAFF:
            assert body["medical_notes"] == "Nut allergy: carries an EpiPen."
        else:
            assert "medical_notes" not in body
            assert "EpiPen" not in response.content.decode()
    else:
        assert response.status_code == 404
        for name in CHILD_NAME:
            assert name not in response.content.decode()


def test_a_member_with_own_login_reads_themself(api_as, member_user, teen, check_schema):
    body = check_schema(api_as(member_user).get(detail("members", teen.pk)))
    assert (body["first_name"], body["last_name"]) == TEEN_NAME
    assert body["has_own_login"] is True
    assert "medical_notes" not in body


@pytest.mark.parametrize("role", NOT_STAFF)
def test_only_staff_change_members(client_for, role, child, municipality):
    client = client_for(role)
    assert denied(client.patch(detail("members", child.pk), {"first_name": "X"}))
    assert denied(client.delete(detail("members", child.pk)))
    new = {
        "first_name": "Ny",
        "last_name": "Medlem",
        "birth_date": "2015-01-01",
        "municipality": municipality.pk,
    }
    assert denied(client.post("/api/v1/members/", new))
    child.refresh_from_db()
    assert child.first_name == CHILD_NAME[0]


def test_staff_add_and_change_a_member(
    api_as, project_leader, municipality, youth_group, check_schema
):
    client = api_as(project_leader)
    response = client.post(
        "/api/v1/members/",
        {
            "first_name": "Ola",
            "last_name": "Obo",
            "birth_date": born_years_ago(12).isoformat(),
            "municipality": municipality.pk,
            "origin": "school_orchestra",
            "origin_name": "Lier skoleorkester",
            "medical_notes": "Pollen.",
            "instruments": [{"instrument": instrument("Oboe").pk, "years_played": 2}],
            "groups": [youth_group.pk],
            "status": "trial",
        },
    )
    assert response.status_code == 201, response.content
    body = check_schema(response)
    assert body["current_status"] == "trial"
    assert body["medical_notes"] == "Pollen."
    assert body["instruments"][0]["is_main"] is True
    assert body["instruments"][0]["section"] == "woodwind"
    member = Member.objects.get(pk=body["id"])
    assert member.status_changes.get().recorded_by == project_leader

    response = client.patch(
        detail("members", member.pk),
        {"years_played": 3, "instruments": [{"instrument": instrument("Flute").pk}]},
    )
    body = check_schema(response)
    assert body["years_played"] == 3
    assert [i["name"] for i in body["instruments"]] == ["Fløyte"]

    bad = client.patch(detail("members", member.pk), {"years_played": 40})
    assert bad.status_code == 400 and "years_played" in bad.json()


def test_filters_of_the_member_list(api_as, project_leader, child, other_child, teen, junior_group):
    client = api_as(project_leader)

    def ids(**params):
        return {item["id"] for item in client.get("/api/v1/members/", params).json()["results"]}

    assert ids(group=junior_group.pk) == {child.pk}
    assert ids(status="active") == {child.pk, other_child.pk, teen.pk}
    assert ids(status="left") == set()
    assert ids(section="strings") == {child.pk, other_child.pk, teen.pk}
    assert ids(section="brass") == set()
    assert ids(instrument=instrument("Violin").pk) == {child.pk, other_child.pk, teen.pk}


def test_member_list_takes_constant_queries(
    api_as,
    project_leader,
    guardian,
    municipality,
    youth_group,
    child,
    django_assert_max_num_queries,
):
    def count_queries(user, expected):
        # A fresh login each time, so that no role lookup is cached between counts.
        user = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(8) as captured:
            response = api_as(user).get("/api/v1/members/")
        assert response.json()["count"] == expected
        return len(captured.captured_queries)

    few = count_queries(project_leader, 1)
    for number in range(12):
        member = new_member(
            ("Barn", f"Nummer {number}"), age=10, municipality=municipality, groups=[youth_group]
        )
        services.add_guardian(
            member=member,
            relation="mother",
            first_name="Mor",
            last_name=str(number),
            email="guardian@example.org",
            by=None,
        )
    assert count_queries(project_leader, 13) == few
    assert count_queries(guardian, 13) <= few + 2


def test_staff_give_a_member_of_age_a_login(api_as, project_leader, child, teen, guardian):
    client = api_as(project_leader)
    young = client.post(f"/api/v1/members/{child.pk}/login/", {"username": "kid"})
    assert young.status_code == 400 and "13" in young.json()["detail"]
    response = client.post(f"/api/v1/members/{teen.pk}/login/", {"username": "teen"})
    assert response.status_code == 201
    assert Member.objects.get(user__username="teen") == teen
    assert denied(api_as(guardian).post(f"/api/v1/members/{child.pk}/login/", {"username": "x"}))


# Groups and instruments -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_group_names_are_public_and_only_staff_change_them(
    client_for, role, youth_group, season, check_schema
):
    client = client_for(role)
    body = check_schema(client.get("/api/v1/groups/", {"season": season.pk}))
    assert {g["name"] for g in body["results"]} == {"Ungdomssymfonikerne", "Juniorsymfonikerne"}
    for name in (*CHILD_NAME, *OTHER_CHILD_NAME, *TEEN_NAME):
        assert name not in str(body)
    changed = client.patch(detail("groups", youth_group.pk), {"max_age": 19})
    if role in STAFF:
        assert check_schema(changed)["max_age"] == 19
        bad = client.patch(detail("groups", youth_group.pk), {"min_age": 20})
        assert bad.status_code == 400 and "max_age" in bad.json()
    else:
        assert denied(changed)


@pytest.mark.parametrize("role", ROLES)
def test_instruments_for_logged_in_users(client_for, role, check_schema):
    client = client_for(role)
    response = client.get("/api/v1/instruments/", {"section": "brass"})
    created = client.post(
        "/api/v1/instruments/", {"name_nb": "Saksofon", "name_en": "Saxophone", "section": "other"}
    )
    if role == "anonymous":
        assert denied(response)
        assert denied(created)
        return
    body = check_schema(response)
    assert [i["name_en"] for i in body["results"]] == ["Horn", "Trumpet", "Trombone", "Tuba"]
    if role in STAFF:
        assert created.status_code == 201
    else:
        assert denied(created)


# Guardians ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_guardians(client_for, role, child, other_child, check_schema):
    response = client_for(role).get("/api/v1/guardians/")
    if role == "anonymous":
        assert denied(response)
        return
    body = check_schema(response)
    emails = {g["email"] for g in body["results"]}
    expected = {
        "admin_user": {"guardian@example.org", "other-guardian@example.org"},
        "project_leader": {"guardian@example.org", "other-guardian@example.org"},
        "guardian": {"guardian@example.org"},
        "other_guardian": {"other-guardian@example.org"},
    }.get(role, set())
    assert emails == expected
    own = Guardian.objects.get(email="guardian@example.org")
    one = client_for(role).get(detail("guardians", own.pk))
    if role in (*STAFF, "guardian"):
        assert check_schema(one)["children"] == [{"member": child.pk, "relation": "mother"}]
    else:
        assert one.status_code == 404


def test_a_guardian_changes_their_own_contact_details_only(
    api_as, guardian, other_guardian, child, other_child, check_schema
):
    own = Guardian.objects.get(user=guardian)
    other = Guardian.objects.get(user=other_guardian)
    client = api_as(guardian)
    body = check_schema(client.patch(detail("guardians", own.pk), {"phone": "+47 911 11 111"}))
    assert body["phone"] == "+47 911 11 111"
    assert client.patch(detail("guardians", other.pk), {"phone": "1"}).status_code == 404
    assert denied(client.delete(detail("guardians", own.pk)))
    assert denied(client.post(f"/api/v1/guardians/{own.pk}/link/", {}))
    taken = client.patch(detail("guardians", own.pk), {"email": "other-guardian@example.org"})
    assert taken.status_code == 400 and "email" in taken.json()
    me = check_schema(client.get("/api/v1/guardians/me/"))
    assert me["id"] == own.pk
    assert api_as(other_guardian).get("/api/v1/guardians/me/").json()["id"] == other.pk


@pytest.mark.parametrize("role", ("juror", "nobody", "member_user"))
def test_guardians_me_is_404_without_a_guardian_record(client_for, role):
    assert client_for(role).get("/api/v1/guardians/me/").status_code == 404


def test_staff_add_a_guardian_with_a_login_and_link_them(
    api_as, project_leader, child, other_child, check_schema
):
    client = api_as(project_leader)
    response = client.post(
        "/api/v1/guardians/",
        {
            "first_name": "Per",
            "last_name": "Pappa",
            "email": "per@example.org",
            "member": child.pk,
            "relation": "father",
            "create_login": True,
        },
    )
    assert response.status_code == 201, response.content
    body = check_schema(response)
    assert body["has_login"] is True
    linked = client.post(
        f"/api/v1/guardians/{body['id']}/link/", {"member": other_child.pk, "relation": "guardian"}
    )
    assert {c["member"] for c in check_schema(linked)["children"]} == {child.pk, other_child.pk}
    again = client.post(
        f"/api/v1/guardians/{body['id']}/link/", {"member": child.pk, "relation": "father"}
    )
    assert again.status_code == 400


def test_guardian_list_takes_constant_queries(
    api_as, project_leader, municipality, child, django_assert_max_num_queries
):
    def count_queries():
        user = type(project_leader).objects.get(pk=project_leader.pk)
        with django_assert_max_num_queries(6) as captured:
            api_as(user).get("/api/v1/guardians/")
        return len(captured.captured_queries)

    few = count_queries()
    for number in range(10):
        services.add_guardian(
            member=child,
            relation="guardian",
            first_name="Verge",
            last_name=str(number),
            email=f"verge{number}@example.org",
            by=None,
        )
    assert count_queries() == few


# Status history and memberships ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_status_history_and_memberships_are_for_staff(client_for, role, child, youth_group):
    client = client_for(role)
    history = client.get("/api/v1/status-changes/", {"member": child.pk})
    memberships = client.get("/api/v1/memberships/", {"member": child.pk})
    left = client.post(
        "/api/v1/status-changes/",
        {"member": child.pk, "status": "left", "reason": "other"},
    )
    if role in STAFF:
        assert [c["status"] for c in history.json()["results"]] == ["active"]
        assert memberships.json()["count"] == 2
        assert left.status_code == 201
    else:
        assert denied(history) and denied(memberships) and denied(left)
        assert not StatusChange.objects.filter(status="left").exists()


def test_staff_record_status_and_group_changes(
    api_as, project_leader, child, junior_group, check_schema
):
    client = api_as(project_leader)
    no_reason = client.post("/api/v1/status-changes/", {"member": child.pk, "status": "left"})
    assert no_reason.status_code == 400
    body = check_schema(
        client.post(
            "/api/v1/status-changes/",
            {"member": child.pk, "status": "on_leave", "note": "Skadet hånd"},
        )
    )
    assert body["status"] == "on_leave"
    membership = child.memberships.get(group=junior_group)
    left = check_schema(client.post(f"/api/v1/memberships/{membership.pk}/leave/", {}))
    assert left["left_on"] == timezone.localdate().isoformat()
    rejoined = client.post(
        "/api/v1/memberships/", {"member": child.pk, "group": junior_group.pk, "joined_on": None}
    )
    assert rejoined.status_code == 400
    rejoined = client.post(
        "/api/v1/memberships/",
        {"member": child.pk, "group": junior_group.pk, "joined_on": str(timezone.localdate())},
    )
    assert check_schema(rejoined)["left_on"] is None


# Consents -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_published_consent_texts_are_public_and_drafts_for_staff(
    client_for, role, photo_text, check_schema
):
    draft = services.create_consent_text(kind="photo", text_nb="Ny versjon")
    client = client_for(role)
    body = check_schema(client.get("/api/v1/consent-texts/"))
    versions = {t["version"] for t in body["results"]}
    assert versions == ({1, 2} if role in STAFF else {1})
    created = client.post("/api/v1/consent-texts/", {"kind": "travel", "text_nb": "Reise"})
    published = client.post(f"/api/v1/consent-texts/{draft.pk}/publish/")
    if role in STAFF:
        assert check_schema(created)["version"] == 1
        assert check_schema(published)["published_at"]
        fixed = client.patch(detail("consent-texts", photo_text.pk), {"text_nb": "Endret"})
        assert fixed.status_code == 400
        assert client.delete(detail("consent-texts", photo_text.pk)).status_code == 400
    else:
        assert denied(created) and denied(published)


@pytest.mark.parametrize("role", ROLES)
def test_who_consents_for_a_child(client_for, role, child, photo_text, check_schema):
    response = client_for(role).post(
        f"/api/v1/members/{child.pk}/consent/", {"text": photo_text.pk}
    )
    if role == "anonymous":
        assert denied(response)
    elif role == "guardian":
        body = check_schema(response)
        assert (body["kind"], body["version"], body["capacity"]) == ("photo", 1, "guardian")
    elif role in STAFF:
        # Staff record paper consents through /consents/, naming who consented.
        assert response.status_code == 400
    else:
        assert response.status_code == 404
    given = ConsentAcceptance.objects.filter(member=child)
    assert given.exists() == (role == "guardian")


def test_a_member_of_age_consents_themself(api_as, member_user, teen, photo_text, settings):
    url = f"/api/v1/members/{teen.pk}/consent/"
    settings.ORCHESTRA_SELF_CONSENT_AGE = 16
    refused = api_as(member_user).post(url, {"text": photo_text.pk})
    assert refused.status_code == 400 and "16" in refused.json()["detail"]
    settings.ORCHESTRA_SELF_CONSENT_AGE = 15
    given = api_as(member_user).post(url, {"text": photo_text.pk})
    assert given.status_code == 201 and given.json()["capacity"] == "member"


def test_a_draft_text_cannot_be_accepted_through_the_api(api_as, guardian, child):
    draft = services.create_consent_text(kind="travel", text_nb="Utkast")
    response = api_as(guardian).post(f"/api/v1/members/{child.pk}/consent/", {"text": draft.pk})
    assert response.status_code == 400 and "text" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_consents(
    client_for, role, child, other_child, guardian, other_guardian, photo_text, check_schema
):
    for member, user in ((child, guardian), (other_child, other_guardian)):
        services.give_consent(
            text=photo_text, member=member, by=user, guardian=Guardian.objects.get(user=user)
        )
    response = client_for(role).get("/api/v1/consents/")
    if role == "anonymous":
        assert denied(response)
        return
    members = {c["member"] for c in check_schema(response)["results"]}
    expected = {
        "admin_user": {child.pk, other_child.pk},
        "project_leader": {child.pk, other_child.pk},
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
    }.get(role, set())
    assert members == expected


def test_staff_record_a_paper_consent(api_as, project_leader, guardian, child, photo_text):
    own = Guardian.objects.get(user=guardian)
    client = api_as(project_leader)
    response = client.post(
        "/api/v1/consents/", {"text": photo_text.pk, "member": child.pk, "guardian": own.pk}
    )
    assert response.status_code == 201
    acceptance = ConsentAcceptance.objects.get()
    assert (acceptance.guardian, acceptance.accepted_by) == (own, project_leader)
    assert denied(
        api_as(guardian).post(
            "/api/v1/consents/", {"text": photo_text.pk, "member": child.pk, "guardian": own.pk}
        )
    )


def test_no_child_name_in_any_orchestra_url(api_as, project_leader, child):
    from django.urls import get_resolver

    paths = [str(p.pattern) for p in get_resolver().url_patterns]
    body = api_as(project_leader).get("/api/v1/members/").json()
    assert [item["id"] for item in body["results"]] == [child.pk]
    for name in CHILD_NAME:
        assert name.lower() not in " ".join(paths).lower()


@pytest.mark.parametrize("path", ["/api/v1/consents/", "/api/v1/status-changes/"])
def test_staff_lists_take_constant_queries(
    api_as,
    project_leader,
    municipality,
    guardian,
    child,
    photo_text,
    path,
    django_assert_max_num_queries,
):
    def count_queries():
        user = type(project_leader).objects.get(pk=project_leader.pk)
        with django_assert_max_num_queries(6) as captured:
            assert api_as(user).get(path).status_code == 200
        return len(captured.captured_queries)

    own = Guardian.objects.get(user=guardian)
    services.give_consent(text=photo_text, member=child, by=guardian, guardian=own)
    few = count_queries()
    for number in range(8):
        member = new_member(("Barn", str(number)), age=10, municipality=municipality)
        services.link_guardian(member=member, guardian=own, relation="mother", by=None)
        services.give_consent(text=photo_text, member=member, by=guardian, guardian=own)
    assert count_queries() == few
