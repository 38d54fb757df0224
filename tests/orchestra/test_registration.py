"""The public registration form: a guardian registers a child or asks for a trial weekend."""

import logging
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from orchestra import services
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    Guardian,
    Guardianship,
    Member,
    StatusChange,
)
from orchestra.selectors import latest_status_of
from tests.orchestra.factories import NEW_CHILD, form_data

pytestmark = pytest.mark.django_db

URL = "/orkester/innmelding/"


def post(client, data, capture):
    with capture(execute=True):
        return client.post(URL, data)


def test_the_form_lists_groups_ages_and_current_consents(client, registration_open):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Juniorsymfonikerne" in page and "Ungdomssymfonikerne" in page
    assert 'data-min-age="8"' in page and 'data-max-age="13"' in page
    assert "Vi lagrer opplysningene om barnet." in page
    assert "Foto er lov." in page
    assert 'name="consent_membership"' in page and 'name="consent_photo"' in page
    assert "orchestra/registration.js" in page
    assert "<script>" not in page


def test_closed_without_a_membership_consent_text(client, season, youth_group, municipality):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="first_name"' not in response.content.decode()
    post_response = client.post(URL, form_data(season, municipality))
    assert post_response.status_code == 200
    assert not Member.objects.exists()


def test_a_guardian_registers_a_child(
    client,
    registration_open,
    municipality,
    membership_text,
    photo_text,
    django_capture_on_commit_callbacks,
):
    response = post(
        client, form_data(registration_open, municipality), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orchestra:registered")
    member = Member.objects.get()
    assert (member.first_name, member.last_name) == NEW_CHILD
    assert latest_status_of(member).status == StatusChange.Status.APPLICANT
    assert member.memberships.count() == 0
    assert member.origin_name == "Asker kulturskole"
    assert member.years_played == 3
    instruments = list(member.member_instruments.order_by("-is_main"))
    assert [(i.instrument.name_en, i.is_main) for i in instruments] == [
        ("Violin", True),
        ("Viola", False),
    ]
    assert instruments[0].years_played == 3
    guardian = Guardian.objects.get()
    assert guardian.email == "frida@example.org" and guardian.user is None
    assert Guardianship.objects.get().relation == "mother"
    consents = ConsentAcceptance.objects.filter(member=member)
    assert {c.text for c in consents} == {membership_text, photo_text}
    assert all(c.guardian == guardian and c.capacity == "guardian" for c in consents)
    member.refresh_from_db()
    assert member.photo_consent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["frida@example.org"]
    assert "Fiolina" in mail.outbox[0].body
    assert "Juniorsymfonikerne" in mail.outbox[0].body

    thanks = client.get(response["Location"])
    page = thanks.content.decode()
    assert "Juniorsymfonikerne" in page
    assert "frida@example.org" in page
    assert NEW_CHILD[0] not in page


def test_a_trial_weekend_and_two_guardians(
    client, registration_open, municipality, django_capture_on_commit_callbacks
):
    data = form_data(
        registration_open,
        municipality,
        trial=True,
        age=15,
        consent_photo=None,
        **{
            "guardian2-first_name": "Finn",
            "guardian2-last_name": "Bueføring",
            "guardian2-email": "finn@example.org",
            "guardian2-phone": "+47 900 22 222",
            "guardian2-relation": "father",
        },
    )
    response = post(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    member = Member.objects.get()
    assert latest_status_of(member).status == StatusChange.Status.TRIAL
    assert not member.photo_consent
    assert member.consents.get().text.kind == ConsentText.Kind.MEMBERSHIP
    assert set(member.guardianships.values_list("guardian__email", "relation")) == {
        ("frida@example.org", "mother"),
        ("finn@example.org", "father"),
    }
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["finn@example.org", "frida@example.org"]
    # 15 at the season's start: only the youth symphony admits the age.
    assert "Ungdomssymfonikerne" in mail.outbox[0].body
    assert "Juniorsymfonikerne" not in mail.outbox[0].body


def test_an_existing_guardian_is_linked_not_duplicated(
    client, registration_open, municipality, child, django_capture_on_commit_callbacks
):
    data = form_data(
        registration_open,
        municipality,
        **{"guardian1-email": "GUARDIAN@example.org", "guardian1-first_name": "Someone"},
    )
    response = post(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    known = Guardian.objects.get(email="guardian@example.org")
    assert Guardian.objects.count() == 1
    assert known.first_name == "Gunn"
    assert set(known.guardianships.values_list("member__first_name", flat=True)) == {
        "Sunniva",
        NEW_CHILD[0],
    }


def test_a_logged_in_guardian_gets_their_details_filled_in_and_consents_by_login(
    client, registration_open, municipality, child, guardian, django_capture_on_commit_callbacks
):
    client.force_login(guardian)
    page = client.get(URL).content.decode()
    assert 'value="guardian@example.org"' in page
    data = form_data(registration_open, municipality, **{"guardian1-email": "guardian@example.org"})
    assert post(client, data, django_capture_on_commit_callbacks).status_code == 302
    new = Member.objects.get(first_name=NEW_CHILD[0])
    assert {c.accepted_by for c in new.consents.all()} == {guardian}


@pytest.mark.parametrize(("age", "allowed"), [(7, False), (8, True), (18, True), (19, False)])
def test_the_age_at_the_season_start_is_checked(
    client, registration_open, municipality, age, allowed, django_capture_on_commit_callbacks
):
    response = post(
        client,
        form_data(registration_open, municipality, age=age),
        django_capture_on_commit_callbacks,
    )
    if allowed:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "birth_date" in errors
    assert "8" in errors["birth_date"][0] and "18" in errors["birth_date"][0]
    assert not Member.objects.exists() and not Guardian.objects.exists()
    assert not mail.outbox


def test_the_age_limits_come_from_the_groups(
    client, registration_open, youth_group, municipality, django_capture_on_commit_callbacks
):
    youth_group.max_age = 19
    youth_group.save()
    response = post(
        client,
        form_data(registration_open, municipality, age=19),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302


def test_errors_are_shown_in_english_too(client, registration_open, municipality):
    client.cookies["django_language"] = "en"
    response = client.post(URL, form_data(registration_open, municipality, age=5))
    assert response.status_code == 400
    assert "The orchestra is for ages 8 to 18" in response.context["form"].errors["birth_date"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_membership": None}, "consent_membership"),
        ({"first_name": ""}, "first_name"),
        ({"main_instrument": ""}, "main_instrument"),
        ({"guardian1-email": "not-an-email"}, "guardian1-email"),
        ({"guardian1-phone": ""}, "guardian1-phone"),
        ({"guardian2-first_name": "Finn"}, "guardian2-email"),
        ({"consent_membership_version": "0"}, "consent_membership"),
    ],
)
def test_field_errors_and_nothing_saved(client, registration_open, municipality, overrides, field):
    response = client.post(URL, form_data(registration_open, municipality, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "field-error" in page
    forms = [response.context["form"], *response.context["guardian_forms"]]
    names = {form.add_prefix(name) for form in forms for name in form.errors}
    assert field in names
    assert not Member.objects.exists() and not Guardian.objects.exists()


def test_a_merged_municipality_cannot_be_chosen(
    client, registration_open, municipality, merged_municipality
):
    page = client.get(URL).content.decode()
    assert "Røyken" not in page
    response = client.post(URL, form_data(registration_open, merged_municipality))
    assert response.status_code == 400
    assert "municipality" in response.context["form"].errors


def test_two_guardians_with_one_email(client, registration_open, municipality):
    data = form_data(
        registration_open,
        municipality,
        **{
            "guardian2-first_name": "Finn",
            "guardian2-last_name": "B",
            "guardian2-email": "frida@example.org",
            "guardian2-phone": "1",
        },
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "forskjellige e-postadresser" in response.content.decode()
    assert not Member.objects.exists()


def test_a_child_registered_twice(
    client, registration_open, municipality, django_capture_on_commit_callbacks
):
    data = form_data(registration_open, municipality)
    assert post(client, data, django_capture_on_commit_callbacks).status_code == 302
    response = client.post(URL, data)
    assert response.status_code == 400
    assert Member.objects.count() == 1


def test_nothing_is_saved_when_a_late_step_fails(
    client, registration_open, municipality, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "orchestra.services.registration._accept", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(URL, form_data(registration_open, municipality))
    assert not Member.objects.exists()
    assert not Guardian.objects.exists()
    assert not ConsentAcceptance.objects.exists()
    assert not mail.outbox


def test_an_outdated_consent_version_is_refused_by_the_service(
    registration_open, municipality, membership_text
):
    newer = services.publish_consent_text(
        text=services.create_consent_text(kind="membership", text_nb="Ny tekst.")
    )
    assert newer.version == 2
    from django.core.exceptions import ValidationError

    from orchestra.services.registration import GuardianDetails, register_child
    from tests.orchestra.factories import birth_date_at_start, instrument

    with pytest.raises(ValidationError) as error:
        register_child(
            season=registration_open,
            first_name="A",
            last_name="B",
            birth_date=birth_date_at_start(registration_open, 10),
            municipality=municipality,
            instruments=[services.PlayedInstrument(instrument("Violin"))],
            guardians=[GuardianDetails("C", "D", "c@example.org", "mother", "1")],
            consents=[membership_text],
            by=None,
        )
    assert "consents" in error.value.message_dict
    assert not Member.objects.exists()


def test_no_child_name_in_urls_or_logs(
    client, caplog, registration_open, municipality, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    response = post(
        client, form_data(registration_open, municipality), django_capture_on_commit_callbacks
    )
    assert caplog.records
    for name in NEW_CHILD:
        assert name not in caplog.text
        assert name not in response["Location"]


def test_the_thanks_page_needs_a_registration_first(client, registration_open):
    response = client.get("/orkester/innmelding/takk/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_a_declined_child_may_register_again(
    client, registration_open, municipality, project_leader, django_capture_on_commit_callbacks
):
    from orchestra.services.registration import decline_registration

    data = form_data(registration_open, municipality)
    assert post(client, data, django_capture_on_commit_callbacks).status_code == 302
    decline_registration(member=Member.objects.get(), by=project_leader)
    assert post(client, data, django_capture_on_commit_callbacks).status_code == 302
    assert Member.objects.count() == 2
