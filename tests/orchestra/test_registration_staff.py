"""The staff's list of registrations: approve into groups, or decline; for every role."""

import logging

import pytest
from django.core import mail

from orchestra.models import StatusChange
from orchestra.selectors import latest_status_of
from tests.orchestra.factories import NEW_CHILD, ROLES, STAFF, registered_child

pytestmark = pytest.mark.django_db

LIST = "/stab/orkester/soknader/"


@pytest.fixture
def applicant(registration_open, municipality):
    return registered_child(registration_open, municipality, age=11)


@pytest.fixture
def trial_request(registration_open, municipality):
    return registered_child(
        registration_open,
        municipality,
        names=("Trine", "Prøvesen"),
        age=15,
        trial=True,
        email="trine@example.org",
    )


@pytest.fixture
def client_as(client, request, child, other_child, member_user):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


def approve_url(member):
    return f"{LIST}{member.pk}/godkjenn/"


def decline_url(member):
    return f"{LIST}{member.pk}/avsla/"


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_registrations(client_as, role, applicant, trial_request):
    response = client_as(role).get(LIST)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if role not in STAFF:
        assert response.status_code == 403
        assert NEW_CHILD[0].encode() not in response.content
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert NEW_CHILD[0] in page and "Trine" in page
    # The active members are not waiting for a decision.
    assert "Sunniva" not in page and "Tobias" not in page
    assert approve_url(applicant) in page and decline_url(trial_request) in page


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_approve_or_decline(client_as, role, youth_group, applicant):
    client = client_as(role)
    approve = client.post(approve_url(applicant), {"groups": [youth_group.pk], "status": "active"})
    decline = client.post(decline_url(applicant))
    if role in STAFF:
        assert approve.status_code == 302
        assert latest_status_of(applicant).status == StatusChange.Status.ACTIVE
        return
    for response in (approve, decline):
        assert response.status_code == (302 if role == "anonymous" else 403)
    assert latest_status_of(applicant).status == StatusChange.Status.APPLICANT
    assert not applicant.memberships.exists()


def test_the_list_suggests_the_group_by_age(
    client, project_leader, applicant, trial_request, junior_group, youth_group
):
    client.force_login(project_leader)
    response = client.get(LIST)
    rows = {row["member"].pk: row for row in response.context["rows"]}
    assert rows[applicant.pk]["suggestion"] == junior_group
    assert rows[applicant.pk]["age"] == 11
    assert rows[trial_request.pk]["suggestion"] == youth_group
    assert rows[applicant.pk]["form"].initial["status"] == "active"
    assert rows[trial_request.pk]["form"].initial["status"] == "trial"
    page = response.content.decode()
    assert "frida@example.org" in page and "Cello" in page


def test_approving_puts_the_child_in_groups_and_emails_the_guardians(
    client, project_leader, applicant, junior_group, youth_group, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            approve_url(applicant),
            {
                "groups": [junior_group.pk, youth_group.pk],
                "status": "active",
                "sesong": junior_group.season_id,
            },
        )
    assert response.status_code == 302
    assert NEW_CHILD[0] not in response["Location"]
    assert latest_status_of(applicant).status == StatusChange.Status.ACTIVE
    assert set(applicant.memberships.values_list("group", flat=True)) == {
        junior_group.pk,
        youth_group.pk,
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["frida@example.org"]
    assert "Juniorsymfonikerne" in message.body and NEW_CHILD[0] in message.body
    assert "/foresatt/" in message.body
    listing = client.get(LIST).content.decode()
    assert NEW_CHILD[0] not in listing


def test_a_trial_request_is_approved_for_a_trial(
    client, project_leader, trial_request, youth_group, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve_url(trial_request), {"groups": [youth_group.pk], "status": "trial"})
    assert latest_status_of(trial_request).status == StatusChange.Status.TRIAL
    assert trial_request.memberships.get().group == youth_group
    assert "trial weekend" in mail.outbox[0].body or "prøvehelg" in mail.outbox[0].body
    assert trial_request.first_name not in client.get(LIST).content.decode()


def test_a_group_outside_the_age_is_refused(
    client, project_leader, trial_request, junior_group, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            approve_url(trial_request),
            {"groups": [junior_group.pk], "status": "active"},
            follow=True,
        )
    assert "Juniorsymfonikerne" in str(list(response.context["messages"])[0])
    assert latest_status_of(trial_request).status == StatusChange.Status.TRIAL
    assert not trial_request.memberships.exists()
    assert not mail.outbox


def test_approving_needs_a_group(client, project_leader, applicant):
    client.force_login(project_leader)
    client.post(approve_url(applicant), {"status": "active"})
    assert latest_status_of(applicant).status == StatusChange.Status.APPLICANT


def test_declining(client, project_leader, applicant):
    client.force_login(project_leader)
    response = client.post(decline_url(applicant))
    assert response.status_code == 302
    change = latest_status_of(applicant)
    assert (change.status, change.reason) == ("left", "other")
    assert NEW_CHILD[0] not in client.get(LIST).content.decode()
    # A decided registration cannot be decided again.
    client.post(approve_url(applicant), {"groups": [], "status": "active"})
    again = client.post(decline_url(applicant), follow=True)
    assert any("allerede avgjort" in str(message) for message in again.context["messages"])


def test_a_member_already_in_a_group_is_not_a_registration(client, project_leader, child):
    client.force_login(project_leader)
    response = client.post(decline_url(child), follow=True)
    assert latest_status_of(child).status == "active"
    assert response.status_code == 200


def test_the_actions_need_a_post(client, project_leader, applicant):
    client.force_login(project_leader)
    assert client.get(approve_url(applicant)).status_code == 405
    assert client.get(decline_url(applicant)).status_code == 405


def test_constant_queries(
    client, project_leader, registration_open, municipality, django_assert_max_num_queries
):
    client.force_login(project_leader)

    def add(count, start):
        for number in range(start, start + count):
            registered_child(
                registration_open,
                municipality,
                names=(f"Barn{number}", "Testesen"),
                age=8 + number % 10,
                trial=bool(number % 2),
                email=f"parent{number}@example.org",
            )

    add(2, 0)
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    add(8, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 10


def test_no_child_name_in_the_log(client, caplog, project_leader, applicant, youth_group):
    caplog.set_level(logging.DEBUG)
    client.force_login(project_leader)
    client.get(LIST)
    client.post(approve_url(applicant), {"groups": [youth_group.pk], "status": "active"})
    assert caplog.records
    for name in NEW_CHILD:
        assert name not in caplog.text


def test_without_an_open_season_registrations_can_still_be_declined(
    client, project_leader, applicant, registration_open
):
    registration_open.end = registration_open.start
    registration_open.save()
    client.force_login(project_leader)
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert NEW_CHILD[0] in page
    assert approve_url(applicant) not in page and decline_url(applicant) in page


def test_approval_gives_the_guardians_logins(
    client, project_leader, applicant, youth_group, django_capture_on_commit_callbacks
):
    from core.roles import Role

    # A second guardian whose email is already an artist's username: left to staff.
    from orchestra import services
    from orchestra.models import Guardian
    from tests.factories import UserFactory

    services.add_guardian(
        member=applicant,
        relation="father",
        first_name="Finn",
        last_name="Bueføring",
        email="finn@example.org",
        by=None,
    )
    UserFactory(username="finn@example.org", roles=[Role.ARTIST])
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve_url(applicant), {"groups": [youth_group.pk], "status": "active"})
    frida = Guardian.objects.get(email="frida@example.org")
    assert frida.user.username == "frida@example.org"
    assert frida.user.groups.filter(name=Role.GUARDIAN).exists()
    assert not frida.user.has_usable_password()
    assert Guardian.objects.get(email="finn@example.org").user is None
    assert latest_status_of(applicant).status == StatusChange.Status.ACTIVE
    assert "/accounts/password_reset/" in mail.outbox[0].body
    # With the login, Frida sees her child.
    client.force_login(frida.user)
    assert NEW_CHILD[0] in client.get("/foresatt/").content.decode()
