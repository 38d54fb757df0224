"""The public registration endpoint: anyone registers a child; the answer names no child."""

import pytest
from django.core import mail

from orchestra.models import Guardian, Instrument, Member, StatusChange
from orchestra.selectors import latest_status_of
from tests.orchestra.factories import NEW_CHILD, ROLES, birth_date_at_start

pytestmark = pytest.mark.django_db

URL = "/api/v1/member-registrations/"


@pytest.fixture
def client_for(request, api_as, child, other_child, member_user):
    def client(role):
        return api_as(None if role == "anonymous" else request.getfixturevalue(role))

    return client


def payload(season, municipality, membership_text, *, age=11, **overrides):
    body = {
        "season": season.pk,
        "first_name": NEW_CHILD[0],
        "last_name": NEW_CHILD[1],
        "birth_date": birth_date_at_start(season, age).isoformat(),
        "municipality": municipality.pk,
        "instruments": [
            {"instrument": Instrument.objects.get(name_en="Flute").pk, "years_played": 2},
            {"instrument": Instrument.objects.get(name_en="Clarinet").pk},
        ],
        "origin": "school_band",
        "origin_name": "Hurum skolekorps",
        "guardians": [
            {
                "first_name": "Frida",
                "last_name": "Bueføring",
                "email": "frida@example.org",
                "phone": "+47 900 11 111",
                "relation": "mother",
            }
        ],
        "consents": [membership_text.pk],
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_register(
    client_for,
    role,
    registration_open,
    municipality,
    membership_text,
    junior_group,
    check_schema,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(role).post(
            URL, payload(registration_open, municipality, membership_text), format="json"
        )
    assert response.status_code == 201, response.content
    body = check_schema(response)
    assert body == {
        "status": "applicant",
        "season": registration_open.pk,
        "suggested_group": {
            "id": junior_group.pk,
            "name": "Juniorsymfonikerne",
            "min_age": 8,
            "max_age": 13,
        },
        "guardians_emailed": ["frida@example.org"],
    }
    assert NEW_CHILD[0] not in response.content.decode()
    member = Member.objects.get(first_name=NEW_CHILD[0])
    assert member.origin == "school_band"
    assert member.member_instruments.get(is_main=True).instrument.name_en == "Flute"
    assert len(mail.outbox) == 1


def test_a_trial_request(
    api_as, registration_open, municipality, membership_text, youth_group, check_schema
):
    response = api_as(None).post(
        URL,
        payload(registration_open, municipality, membership_text, age=16, trial=True),
        format="json",
    )
    body = check_schema(response)
    assert body["status"] == "trial"
    assert body["suggested_group"]["id"] == youth_group.pk
    member = Member.objects.get()
    assert latest_status_of(member).status == StatusChange.Status.TRIAL


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"age": 6}, "birth_date"),
        ({"age": 20}, "birth_date"),
        ({"consents": []}, "consents"),
        ({"guardians": []}, "guardians"),
        ({"instruments": []}, "instruments"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_field_errors_and_nothing_saved(
    api_as, registration_open, municipality, membership_text, overrides, field, check_schema
):
    age = overrides.pop("age", 11)
    response = api_as(None).post(
        URL,
        payload(registration_open, municipality, membership_text, age=age, **overrides),
        format="json",
    )
    assert response.status_code == 400
    body = check_schema(response)
    assert field in body
    assert not Member.objects.exists() and not Guardian.objects.exists()
    assert not mail.outbox


def test_guardians_need_different_emails(api_as, registration_open, municipality, membership_text):
    guardian = payload(registration_open, municipality, membership_text)["guardians"][0]
    response = api_as(None).post(
        URL,
        payload(registration_open, municipality, membership_text, guardians=[guardian, guardian]),
        format="json",
    )
    assert response.status_code == 400
    assert "guardians" in response.json()


def test_a_merged_municipality_is_refused(
    api_as, registration_open, merged_municipality, membership_text
):
    response = api_as(None).post(
        URL, payload(registration_open, merged_municipality, membership_text), format="json"
    )
    assert response.status_code == 400
    assert "municipality" in response.json()


def test_a_draft_consent_text_is_refused(api_as, registration_open, municipality, membership_text):
    from orchestra import services

    draft = services.create_consent_text(kind="photo", text_nb="Utkast.")
    response = api_as(None).post(
        URL,
        payload(
            registration_open,
            municipality,
            membership_text,
            consents=[membership_text.pk, draft.pk],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "consents" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_the_options_are_public(
    client_for,
    role,
    registration_open,
    youth_group,
    junior_group,
    membership_text,
    photo_text,
    check_schema,
):
    response = client_for(role).get(URL + "options/")
    body = check_schema(response)
    (season,) = body["seasons"]
    assert season["id"] == registration_open.pk
    assert (season["youngest"], season["oldest"]) == (8, 18)
    assert {group["name"] for group in season["groups"]} == {
        "Ungdomssymfonikerne",
        "Juniorsymfonikerne",
    }
    assert {(text["kind"], text["required"]) for text in body["consent_texts"]} == {
        ("membership", True),
        ("photo", False),
    }
    # No member appears in the options.
    assert "Sunniva" not in response.content.decode()


def test_each_consent_is_given_once(api_as, registration_open, municipality, membership_text):
    response = api_as(None).post(
        URL,
        payload(
            registration_open,
            municipality,
            membership_text,
            consents=[membership_text.pk, membership_text.pk],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "consents" in response.json()
    assert not Member.objects.exists()
