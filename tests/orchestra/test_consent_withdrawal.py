"""Withdrawing a consent (photo, travel, health data) as easily as it was given: by the
child's guardian on "My children", by a member 15+ on their own page, through the API;
versioned like the consent (who withdrew which consent of which version, and when), and
in effect everywhere the consent was checked: has_consent(), the photo flag, the travel
consent on tours (checklist, API, trip page), the guardian's page, the API's consents.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentAcceptance, ConsentText, ConsentWithdrawal, Guardian
from orchestra.selectors.consents import has_consent, members_with_consent
from orchestra.selectors.tours import checklist_of, travel_consented_member_ids
from orchestra.services import tours as tour_services
from tests.orchestra import test_tours
from tests.orchestra.factories import new_member

tour = test_tours.tour
on_tour = test_tours.on_tour
tour_leader = test_tours.tour_leader
travel_text = test_tours.travel_text


@pytest.fixture(autouse=True)
def _in_english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def published(kind, text="Tekst"):
    return services.publish_consent_text(text=services.create_consent_text(kind=kind, text_nb=text))


@pytest.fixture
def medical_text(db):
    return published(ConsentText.Kind.MEDICAL, "Helseopplysninger kan lagres.")


def guardian_record(child) -> Guardian:
    return Guardian.objects.get(guardianships__member=child)


def give_photo(child, guardian, photo_text):
    return services.give_consent(
        text=photo_text, member=child, by=guardian, guardian=guardian_record(child)
    )


# The service and the one answer ----------------------------------------------------------


def test_withdrawal_is_recorded_and_the_photo_flag_follows(child, guardian, photo_text):
    acceptance = give_photo(child, guardian, photo_text)
    child.refresh_from_db()
    assert child.photo_consent and has_consent(child, ConsentText.Kind.PHOTO)

    [withdrawal] = services.withdraw_consent(
        kind=ConsentText.Kind.PHOTO, member=child, by=guardian, guardian=guardian_record(child)
    )
    child.refresh_from_db()
    assert not has_consent(child, ConsentText.Kind.PHOTO)
    assert not child.photo_consent
    assert child.pk not in members_with_consent(ConsentText.Kind.PHOTO)
    # Versioned: which consent of which version, who, in which capacity, when.
    assert withdrawal.acceptance == acceptance
    assert withdrawal.acceptance.text.version == photo_text.version
    assert withdrawal.withdrawn_by == guardian
    assert withdrawal.guardian == guardian_record(child)
    assert withdrawal.capacity == ConsentAcceptance.Capacity.GUARDIAN
    assert withdrawal.withdrawn_at is not None
    # The history stays readable.
    assert ConsentAcceptance.objects.filter(pk=acceptance.pk).exists()


def test_give_again_after_withdrawing_is_a_new_consent(child, guardian, photo_text):
    first = give_photo(child, guardian, photo_text)
    services.withdraw_consent(
        kind=ConsentText.Kind.PHOTO, member=child, by=guardian, guardian=guardian_record(child)
    )
    again = give_photo(child, guardian, photo_text)
    child.refresh_from_db()
    assert again.pk != first.pk
    assert has_consent(child, ConsentText.Kind.PHOTO) and child.photo_consent
    assert child.consents.count() == 2


def test_nothing_to_withdraw_is_an_error(child, guardian, photo_text):
    with pytest.raises(OrchestraError):
        services.withdraw_consent(
            kind=ConsentText.Kind.PHOTO, member=child, by=guardian, guardian=guardian_record(child)
        )


def test_the_membership_consent_is_not_withdrawn_on_its_own(child, guardian):
    text = published(ConsentText.Kind.MEMBERSHIP)
    services.give_consent(text=text, member=child, by=guardian, guardian=guardian_record(child))
    with pytest.raises(OrchestraError):
        services.withdraw_consent(
            kind=ConsentText.Kind.MEMBERSHIP,
            member=child,
            by=guardian,
            guardian=guardian_record(child),
        )


def test_only_own_guardians_and_the_member_15_plus_withdraw(
    child, other_child, guardian, other_guardian, teen, member_user, photo_text
):
    give_photo(child, guardian, photo_text)
    with pytest.raises(OrchestraError):
        services.withdraw_consent(
            kind=ConsentText.Kind.PHOTO,
            member=child,
            by=other_guardian,
            guardian=guardian_record(other_child),
        )
    with pytest.raises(OrchestraError):  # 11 years old: not for themself
        services.withdraw_consent(kind=ConsentText.Kind.PHOTO, member=child, by=guardian)
    services.give_consent(text=photo_text, member=teen, by=member_user)
    services.withdraw_consent(kind=ConsentText.Kind.PHOTO, member=teen, by=member_user)
    assert not has_consent(teen, ConsentText.Kind.PHOTO)
    assert has_consent(child, ConsentText.Kind.PHOTO)


def test_withdrawing_health_data_consent(child, guardian, medical_text):
    services.give_consent(
        text=medical_text, member=child, by=guardian, guardian=guardian_record(child)
    )
    assert has_consent(child, ConsentText.Kind.MEDICAL)
    services.withdraw_consent(
        kind=ConsentText.Kind.MEDICAL, member=child, by=guardian, guardian=guardian_record(child)
    )
    assert not has_consent(child, ConsentText.Kind.MEDICAL)


def test_withdrawing_health_data_consent_deletes_the_medical_notes_held(
    child, guardian, medical_text, tour, on_tour
):
    from orchestra.models import Member, TourParticipant

    Member.objects.filter(pk=child.pk).update(medical_notes="Nøtteallergi, EpiPen i sekken")
    TourParticipant.objects.filter(member=child).update(medical_notes="Astma")
    services.give_consent(
        text=medical_text, member=child, by=guardian, guardian=guardian_record(child)
    )
    services.withdraw_consent(
        kind=ConsentText.Kind.MEDICAL, member=child, by=guardian, guardian=guardian_record(child)
    )
    child.refresh_from_db()
    assert child.medical_notes == ""
    assert list(TourParticipant.objects.filter(member=child).values_list("medical_notes")) == [
        ("",)
    ]


# Travel: the tour's checklist, API and trip page -----------------------------------------


def test_withdrawn_travel_consent_is_missing_on_the_tour(
    client, api_as, tour, on_tour, child, guardian, project_leader
):
    participant = on_tour[child.pk]
    tour_services.give_travel_consent(participant=participant, by=guardian)
    assert child.pk in travel_consented_member_ids(tour)
    assert "travel consent" not in checklist_of(participant, tour).missing

    services.withdraw_consent(
        kind=ConsentText.Kind.TRAVEL, member=child, by=guardian, guardian=guardian_record(child)
    )
    assert child.pk not in travel_consented_member_ids(tour)
    assert "travel consent" in checklist_of(participant, tour).missing
    record = api_as(project_leader).get(f"/api/v1/tour-participants/{participant.pk}/").json()
    assert record["travel_consent"] is False
    client.force_login(guardian)
    page = client.get(reverse("orchestra:tour_trip_details", args=[participant.pk]))
    assert 'id="travel-consent-given"' not in page.content.decode()
    # Given again on the trip page, it counts again.
    client.post(
        reverse("orchestra:tour_trip_details", args=[participant.pk]),
        {"emergency_contacts": "Bestemor 99999999", "travel_consent": "on"},
    )
    assert child.pk in travel_consented_member_ids(tour)


# Pages and API ---------------------------------------------------------------------------


def test_guardian_page_shows_each_consent_with_withdraw_and_give_again(
    client, child, guardian, photo_text
):
    give_photo(child, guardian, photo_text)
    client.force_login(guardian)
    page = client.get(reverse("orchestra:my_children")).content.decode()
    withdraw_url = reverse("orchestra:child_withdraw_consent", args=[child.pk])
    assert f'action="{withdraw_url}"' in page
    assert "Withdraw: Photos and video" in page

    response = client.post(withdraw_url, {"kind": "photo"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert not has_consent(child, "photo") and not child.photo_consent

    page = client.get(reverse("orchestra:my_children")).content.decode()
    assert "Withdrawn on" in page
    assert "Give again: Photos and video" in page
    client.post(reverse("orchestra:child_consent", args=[child.pk]), {"text": photo_text.pk})
    assert has_consent(child, "photo")


def test_another_guardian_cannot_withdraw(
    client, child, other_child, guardian, other_guardian, photo_text
):
    give_photo(child, guardian, photo_text)
    client.force_login(other_guardian)
    url = reverse("orchestra:child_withdraw_consent", args=[child.pk])
    assert client.post(url, {"kind": "photo"}).status_code == 404
    assert has_consent(child, "photo")


def test_bad_kind_is_refused_without_a_500(client, child, guardian, photo_text):
    give_photo(child, guardian, photo_text)
    client.force_login(guardian)
    url = reverse("orchestra:child_withdraw_consent", args=[child.pk])
    assert client.post(url, {"kind": "nonsense"}).status_code == 302
    assert client.post(url, {"kind": "membership"}).status_code == 302
    assert has_consent(child, "photo")


def test_member_15_plus_gives_and_withdraws_on_their_own_page(
    client, teen, member_user, photo_text
):
    client.force_login(member_user)
    url = reverse("orchestra:my_consents")
    page = client.get(url)
    assert page.status_code == 200
    client.post(url, {"text": photo_text.pk})
    assert has_consent(teen, "photo")
    assert "Withdraw: Photos and video" in client.get(url).content.decode()
    client.post(url, {"kind": "photo"})
    assert not has_consent(teen, "photo")
    withdrawal = ConsentWithdrawal.objects.get(acceptance__member=teen)
    assert withdrawal.capacity == ConsentAcceptance.Capacity.MEMBER
    assert withdrawal.withdrawn_by == member_user


def test_own_consent_page_is_for_members_15_plus_only(
    client, municipality, guardian, project_leader, photo_text
):
    thirteen = new_member(("Ung", "Medlem"), age=13, municipality=municipality)
    login = services.create_member_login(
        member=thirteen, username="ung13", email="u@example.org", by=None
    )
    for user in (guardian, project_leader, login):
        client.force_login(user)
        assert client.get(reverse("orchestra:my_consents")).status_code == 404
        assert (
            client.post(reverse("orchestra:my_consents"), {"text": photo_text.pk}).status_code
            == 404
        )
    assert not has_consent(thirteen, "photo")


def test_api_withdraw_and_history(
    api_as, child, guardian, other_guardian, project_leader, photo_text
):
    give_photo(child, guardian, photo_text)
    url = f"/api/v1/members/{child.pk}/withdraw-consent/"
    assert api_as(other_guardian).post(url, {"kind": "photo"}, format="json").status_code == 404
    # Staff see the member, but the withdrawal is the family's to make.
    assert api_as(project_leader).post(url, {"kind": "photo"}, format="json").status_code == 403
    bad = api_as(guardian).post(url, {"kind": "nonsense"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    response = api_as(guardian).post(url, {"kind": "photo"}, format="json")
    assert response.status_code == 200
    [row] = response.json()
    assert row["kind"] == "photo" and row["version"] == photo_text.version
    assert api_as(guardian).post(url, {"kind": "photo"}, format="json").status_code == 400
    # Staff read the history: the consent with its withdrawal, and the withdrawals.
    consents = api_as(project_leader).get("/api/v1/consents/", {"member": child.pk}).json()
    items = consents["results"] if isinstance(consents, dict) else consents
    assert items[0]["withdrawn_at"] is not None
    withdrawals = api_as(project_leader).get("/api/v1/consent-withdrawals/").json()
    items = withdrawals["results"] if isinstance(withdrawals, dict) else withdrawals
    assert [item["member"] for item in items] == [child.pk]
    mine = api_as(guardian).get("/api/v1/consent-withdrawals/").json()
    assert len(mine["results"] if isinstance(mine, dict) else mine) == 1
    others = api_as(other_guardian).get("/api/v1/consent-withdrawals/").json()
    assert (others["results"] if isinstance(others, dict) else others) == []
    member = api_as(project_leader).get(f"/api/v1/members/{child.pk}/").json()
    assert member["photo_consent"] is False


def test_consent_withdrawal_list_takes_constant_queries(
    api_as, project_leader, municipality, youth_group, photo_text, django_assert_max_num_queries
):
    def withdraw_for_a_new_member(number):
        member = new_member(("Barn", f"Nr {number}"), age=16, municipality=municipality)
        services.give_consent(text=photo_text, member=member, by=project_leader)
        services.withdraw_consent(kind="photo", member=member, by=project_leader)

    withdraw_for_a_new_member(0)
    client = api_as(project_leader)
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/consent-withdrawals/")
    for number in range(1, 6):
        withdraw_for_a_new_member(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/consent-withdrawals/")


def test_the_photo_flag_is_not_set_by_hand_through_the_api(
    api_as, child, guardian, project_leader, photo_text
):
    client = api_as(project_leader)
    client.patch(f"/api/v1/members/{child.pk}/", {"photo_consent": True}, format="json")
    child.refresh_from_db()
    assert not child.photo_consent
    recorded = client.post(
        "/api/v1/consents/",
        {"text": photo_text.pk, "member": child.pk, "guardian": guardian_record(child).pk},
        format="json",
    )
    assert recorded.status_code == 201
    assert client.get(f"/api/v1/members/{child.pk}/").json()["photo_consent"] is True


def test_no_service_sets_the_photo_flag_without_a_consent(child):
    """The flag is a copy of the consents; update_member() refuses to set it by hand."""
    with pytest.raises(OrchestraError):
        services.update_member(member=child, photo_consent=True, by=None)
    child.refresh_from_db()
    assert not child.photo_consent
