"""The guardian's pages for every role: "My children", consents, the export of everything
stored about a child, the request to delete, and the guardian's own contact details."""

import json
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event
from orchestra import services
from orchestra.models import (
    ConsentAcceptance,
    ErasureRequest,
    Guardian,
)
from tests.factories import EventFactory
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    ROLES,
    STAFF,
    TEEN_NAME,
    AttendanceFactory,
    LeaveOfAbsenceFactory,
    SessionPlanFactory,
    new_member,
)

pytestmark = pytest.mark.django_db

MY_CHILDREN = "/foresatt/"
CONTACT = "/foresatt/kontakt/"
NO_GUARDIAN_RECORD = tuple(r for r in ROLES if r not in ("anonymous", "guardian", "other_guardian"))


def export_url(member):
    return f"/foresatt/barn/{member.pk}/data.json"


def consent_url(member):
    return f"/foresatt/barn/{member.pk}/samtykke/"


def deletion_url(member):
    return f"/foresatt/barn/{member.pk}/sletting/"


@pytest.fixture
def client_as(client, request, child, other_child, member_user):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def sessions(season, youth_group, junior_group):
    """A rehearsal weekend in ten days: a tutti for the youth symphony, a junior day."""
    saturday = timezone.now() + timedelta(days=10)
    weekend = EventFactory(
        period=season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        venue=None,
        start=saturday,
        end=saturday + timedelta(days=1),
    )
    plans = []
    for title, group in (("Tutti", youth_group), ("Juniordag", junior_group)):
        event = EventFactory(
            period=season,
            parent=weekend,
            kind=Event.Kind.SESSION,
            venue=None,
            title_nb=title,
            start=saturday,
            end=saturday + timedelta(hours=3),
        )
        plan = SessionPlanFactory(event=event)
        plan.groups.set([group])
        plans.append(plan)
    return plans


def assert_login_redirect(response):
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def no_child_named(response):
    page = response.content.decode()
    return not any(
        name in page for name in (*CHILD_NAME, *OTHER_CHILD_NAME, *TEEN_NAME) if len(name) > 3
    )


# My children ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_guardian_sees_only_their_own_children(client_as, role, sessions, membership_text):
    response = client_as(role).get(MY_CHILDREN)
    if role == "anonymous":
        assert_login_redirect(response)
        return
    if role in NO_GUARDIAN_RECORD:
        assert response.status_code == 403
        assert no_child_named(response)
        return
    assert response.status_code == 200
    page = response.content.decode()
    own, others = (
        (CHILD_NAME, OTHER_CHILD_NAME) if role == "guardian" else (OTHER_CHILD_NAME, CHILD_NAME)
    )
    assert own[0] in page
    assert others[0] not in page and TEEN_NAME[0] not in page
    # Medical notes are for staff only, also on the guardian's own page.
    assert "EpiPen" not in page and "Asthma" not in page


def test_my_children_shows_groups_status_instruments_sessions_and_consents(
    client, guardian, child, sessions, membership_text, photo_text
):
    services.give_consent(
        text=photo_text,
        member=child,
        by=guardian,
        guardian=Guardian.objects.get(user=guardian),
    )
    client.force_login(guardian)
    response = client.get(MY_CHILDREN)
    page = response.content.decode()
    (item,) = response.context["children"]
    assert item["member"] == child
    assert [session.title for session in item["sessions"]] == ["Tutti", "Juniordag"]
    assert "Tutti" in page and "Juniordag" in page
    assert "Juniorsymfonikerne" in page and "Ungdomssymfonikerne" in page
    assert "Fiolin" in page or "Violin" in page
    assert item["missing_consents"] == [membership_text]
    assert consent_url(child) in page and f'value="{membership_text.pk}"' in page
    assert export_url(child) in page and deletion_url(child) in page
    assert CONTACT in page


def test_the_page_links_absence_and_calendar_only_when_they_exist(client, guardian, child):
    from django.urls import NoReverseMatch, reverse

    client.force_login(guardian)
    page = client.get(MY_CHILDREN).content.decode()
    for name in ("orchestra:absence", "orchestra:calendar"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in page


def test_constant_queries_whatever_the_number_of_children(
    client, guardian, child, municipality, youth_group, sessions, django_assert_max_num_queries
):
    client.force_login(guardian)
    with django_assert_max_num_queries(30) as one:
        client.get(MY_CHILDREN)
    record = Guardian.objects.get(user=guardian)
    for number in range(3):
        sibling = new_member(
            (f"Søsken{number}", "Strykersen"),
            age=9 + number,
            municipality=municipality,
            groups=[youth_group],
        )
        services.link_guardian(member=sibling, guardian=record, relation="mother", by=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(MY_CHILDREN)
    assert len(response.context["children"]) == 4


# Consents -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_childs_guardian_gives_a_consent(client_as, role, child, membership_text):
    response = client_as(role).post(consent_url(child), {"text": membership_text.pk})
    recorded = ConsentAcceptance.objects.filter(member=child, text=membership_text)
    if role == "guardian":
        assert response.status_code == 302
        assert response["Location"].endswith(f"/foresatt/#child-{child.pk}")
        consent = recorded.get()
        assert consent.guardian.user.username == "guardian"
        assert consent.accepted_by.username == "guardian"
        return
    # The child's page hides the child from anyone but the guardians (ACT_FOR_CHILD).
    expected = 302 if role == "anonymous" else 404
    assert response.status_code == expected
    assert not recorded.exists()


def test_a_draft_text_cannot_be_accepted(client, guardian, child):
    draft = services.create_consent_text(kind="photo", text_nb="Utkast.")
    client.force_login(guardian)
    response = client.post(consent_url(child), {"text": draft.pk}, follow=True)
    assert response.status_code == 200
    assert not ConsentAcceptance.objects.exists()


def test_a_consent_needs_a_post(client, guardian, child):
    client.force_login(guardian)
    assert client.get(consent_url(child)).status_code == 405


# Export ---------------------------------------------------------------------------------


@pytest.fixture
def history(child, sessions, guardian, photo_text):
    tutti = sessions[0].event
    AttendanceFactory(
        member=child, session=tutti, reply="not_coming", reason="illness", note="Feber"
    )
    today = timezone.localdate()
    LeaveOfAbsenceFactory(
        member=child,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=60),
        reason="travel",
    )
    services.give_consent(
        text=photo_text, member=child, by=guardian, guardian=Guardian.objects.get(user=guardian)
    )
    return child


@pytest.mark.parametrize("role", ROLES)
def test_only_the_guardians_and_staff_download_a_child(client_as, role, history):
    response = client_as(role).get(export_url(history))
    if role == "anonymous":
        assert_login_redirect(response)
        return
    if role not in ("guardian", *STAFF):
        assert response.status_code == 404
        assert no_child_named(response)
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="member-{history.pk}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    member = data["member"]
    assert (member["first_name"], member["last_name"]) == CHILD_NAME
    assert member["medical_notes"] == "Nut allergy: carries an EpiPen."
    assert member["municipality"]["name"] == "Asker"
    assert member["current_status"] == "active"
    assert data["instruments"][0]["instrument"] in ("Fiolin", "Violin")
    assert data["instruments"][0]["is_main"] is True
    assert {m["group"] for m in data["memberships"]} == {
        "Ungdomssymfonikerne",
        "Juniorsymfonikerne",
    }
    assert [change["status"] for change in data["status_history"]] == ["active"]
    assert data["guardians"] == [
        {
            "first_name": "Gunn",
            "last_name": "Strykersen",
            "email": "guardian@example.org",
            "phone": "+47 900 00 001",
            "relation": "mother",
        }
    ]
    assert [(c["kind"], c["version"]) for c in data["consents"]] == [("photo", 1)]
    assert data["attendance"][0]["session"] == "Tutti"
    assert data["attendance"][0]["reason"] == "illness"
    assert data["leaves_of_absence"][0]["reason"] == "travel"
    # The other child's data is not in this child's export.
    assert OTHER_CHILD_NAME[0] not in response.content.decode()


def test_a_member_with_a_login_is_not_a_guardian(client, member_user, teen):
    client.force_login(member_user)
    assert client.get(export_url(teen)).status_code == 404


def test_an_export_of_a_member_that_does_not_exist(client, guardian, child):
    client.force_login(guardian)
    assert client.get("/foresatt/barn/999999/data.json").status_code == 404


# Deletion -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_childs_guardian_asks_for_deletion(
    client_as, role, child, project_leader, django_capture_on_commit_callbacks
):
    client = client_as(role)
    form = client.get(deletion_url(child))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(deletion_url(child), {"confirm": "on", "note": "Vi flytter."})
    if role == "guardian":
        assert form.status_code == 200
        assert response.status_code == 200
        assert "orchestra/guardians/deletion_requested.html" in [t.name for t in response.templates]
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["leader@example.org"]
        assert str(child.pk) in message.subject
        erasure = ErasureRequest.objects.get(member=child, completed_at__isnull=True)
        assert erasure.note == "Vi flytter."
        assert f"/stab/orkester/sletting/{erasure.pk}/" in message.body
        assert "Vi flytter." in message.body and "guardian@example.org" in message.body
        # Staff find the member by id; the guardian may share the child's last name.
        first_name = CHILD_NAME[0]
        assert first_name not in message.subject and first_name not in message.body
        return
    expected = 302 if role == "anonymous" else 404
    assert form.status_code == expected and response.status_code == expected
    assert not mail.outbox
    assert not ErasureRequest.objects.exists()


def test_the_guardians_page_shows_an_open_deletion_request(client, guardian, child):
    client.force_login(guardian)
    assert deletion_url(child) in client.get(MY_CHILDREN).content.decode()
    client.post(deletion_url(child), {"confirm": "on", "note": ""})

    page = client.get(MY_CHILDREN).content.decode()

    assert deletion_url(child) not in page
    assert 'class="erasure-requested"' in page


def test_deletion_must_be_confirmed(client, guardian, child, project_leader):
    client.force_login(guardian)
    response = client.post(deletion_url(child), {"note": ""})
    assert response.status_code == 400
    assert not mail.outbox


# Contact details ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_guardian_changes_only_their_own_details(client_as, role):
    client = client_as(role)
    page = client.get(CONTACT)
    response = client.post(
        CONTACT,
        {"first_name": "Ny", "last_name": "Navnesen", "email": "ny@example.org", "phone": "123"},
    )
    if role in ("guardian", "other_guardian"):
        assert page.status_code == 200
        assert response.status_code == 302
        record = Guardian.objects.get(user__username=role.replace("_", "-"))
        assert (record.first_name, record.email, record.phone) == ("Ny", "ny@example.org", "123")
        assert record.user.email == "ny@example.org"
        assert Guardian.objects.filter(first_name="Ny").count() == 1
        return
    expected = 302 if role == "anonymous" else 403
    assert page.status_code == expected and response.status_code == expected
    assert not Guardian.objects.filter(first_name="Ny").exists()


def test_the_contact_form_is_filled_in_and_refuses_a_taken_email(
    client, guardian, child, other_child
):
    client.force_login(guardian)
    page = client.get(CONTACT).content.decode()
    assert 'value="guardian@example.org"' in page and 'value="Gunn"' in page
    response = client.post(
        CONTACT,
        {
            "first_name": "Gunn",
            "last_name": "Strykersen",
            "email": "other-guardian@example.org",
            "phone": "1",
        },
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert Guardian.objects.get(user=guardian).email == "guardian@example.org"


# Names stay out of URLs and logs ---------------------------------------------------------


def test_no_child_name_in_urls_or_logs(
    client, caplog, guardian, history, membership_text, project_leader
):
    caplog.set_level(logging.DEBUG)
    client.force_login(guardian)
    page = client.get(MY_CHILDREN).content.decode()
    client.post(consent_url(history), {"text": membership_text.pk})
    client.get(export_url(history))
    client.post(deletion_url(history), {"confirm": "on"})
    client.force_login(project_leader)
    client.get(export_url(history))
    assert caplog.records
    for name in CHILD_NAME:
        assert name not in caplog.text
    import re

    for href in re.findall(r'(?:href|action)="([^"]+)"', page):
        assert not any(name.lower() in href.lower() for name in CHILD_NAME), href
