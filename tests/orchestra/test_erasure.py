# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Erasure on request: a guardian asks on their page, the request is recorded, staff see
what will be erased and what the law lets us keep, and complete it with one button, which
anonymises through the retention service. The data export holds everything stored."""

import json

import pytest
from django.urls import reverse

from orchestra.models import ErasureRequest, Member, StatusChange
from orchestra.services import masterclasses as masterclass_services
from orchestra.services.attendance import issue_member_card
from orchestra.services.retention import request_erasure
from tests.orchestra.factories import CHILD_NAME
from tests.orchestra.test_masterclass_services import make_class, master_class  # noqa: F401
from tests.orchestra.test_tours import (  # noqa: F401 -- fixtures
    TRIP_NOTES,
    on_tour,
    tour,
    tour_leader,
    travel_text,
)

LIST = "/stab/orkester/sletting/"


@pytest.fixture
def erasure(child, guardian):
    return request_erasure(member=child, guardian=guardian.orchestra_guardian, note="Vi flytter.")


def test_the_export_holds_tours_master_classes_tickets_cards_and_consents(
    client, child, guardian, season, project_leader, master_class, on_tour, photo_text, erasure
):
    from orchestra import services

    issue_member_card(member=child, season=season, by=project_leader)
    masterclass_services.sign_up(event=master_class, member=child, by=guardian)
    services.give_consent(
        member=child, text=photo_text, by=guardian, guardian=guardian.orchestra_guardian
    )
    client.force_login(guardian)

    data = json.loads(client.get(f"/foresatt/barn/{child.pk}/data.json").content)

    [trip] = data["tours"]
    assert trip["medical_notes"] == TRIP_NOTES and trip["role"] == "player"
    [place] = data["master_classes"]
    assert place["contact_email"] == "guardian@example.org"
    [card] = data["member_cards"]
    assert card["valid"] is True
    names = {ticket["attendee_name"] for ticket in data["tickets"]}
    assert names == {" ".join(CHILD_NAME)} and len(data["tickets"]) == 2
    assert [consent["kind"] for consent in data["consents"]] == [photo_text.kind]
    assert [request["note"] for request in data["erasure_requests"]] == ["Vi flytter."]
    assert data["attendance"] == [] and data["leaves_of_absence"] == []


def test_a_second_request_while_one_is_open_is_the_same_request(child, guardian, erasure):
    again = request_erasure(member=child, guardian=guardian.orchestra_guardian, note="Igjen")
    assert again.pk == erasure.pk and ErasureRequest.objects.count() == 1


def test_staff_see_the_requests_and_what_is_erased_and_kept(client, project_leader, erasure):
    client.force_login(project_leader)
    listing = client.get(LIST).content.decode()
    assert reverse("orchestra:erasure_request", args=[erasure.pk]) in listing
    page = client.get(reverse("orchestra:erasure_request", args=[erasure.pk])).content.decode()
    assert "Vi flytter." in page
    assert "bokføringsloven" in page  # why the payments are kept
    assert "Statistics without names" in page or "Statistikk uten navn" in page


def test_completing_the_request_anonymises_the_member_once(client, project_leader, erasure, child):
    client.force_login(project_leader)
    url = reverse("orchestra:erasure_request", args=[erasure.pk])

    response = client.post(url)

    assert response.status_code == 302
    member = Member.objects.get(pk=child.pk)
    assert member.anonymised_at is not None and CHILD_NAME[0] not in member.first_name
    assert member.status_changes.filter(status=StatusChange.Status.LEFT).exists()
    erasure.refresh_from_db()
    assert erasure.completed_by == project_leader and erasure.note == ""
    # The button again: a clear error, nothing done twice.
    again = client.post(url)
    assert again.status_code == 400


def test_the_api_lists_and_completes_requests_for_staff_only(
    api_as, project_leader, guardian, erasure, child
):
    staff = api_as(project_leader)
    listed = staff.get("/api/v1/erasure-requests/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [erasure.pk]
    assert api_as(guardian).get("/api/v1/erasure-requests/").status_code == 403
    assert (
        api_as(guardian).post(f"/api/v1/erasure-requests/{erasure.pk}/complete/").status_code == 403
    )

    done = staff.post(f"/api/v1/erasure-requests/{erasure.pk}/complete/")
    assert done.status_code == 200 and done.json()["is_open"] is False
    assert Member.objects.get(pk=child.pk).anonymised_at is not None
    again = staff.post(f"/api/v1/erasure-requests/{erasure.pk}/complete/")
    assert again.status_code == 400 and "detail" in again.json()


def test_the_list_keeps_a_constant_number_of_queries(
    client, project_leader, erasure, other_child, other_guardian, django_assert_max_num_queries
):
    request_erasure(member=other_child, guardian=other_guardian.orchestra_guardian)
    client.force_login(project_leader)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_the_export_shows_a_withdrawn_consent_and_who_looked_at_health_data(
    client, child, guardian, photo_text, staff_user_who_looked
):
    from orchestra import services

    services.give_consent(
        member=child, text=photo_text, by=guardian, guardian=guardian.orchestra_guardian
    )
    services.withdraw_consent(
        member=child, kind=photo_text.kind, by=guardian, guardian=guardian.orchestra_guardian
    )
    client.force_login(guardian)

    data = json.loads(client.get(f"/foresatt/barn/{child.pk}/data.json").content)

    [consent] = data["consents"]
    assert consent["withdrawn_at"] is not None and consent["withdrawn_by"] == "guardian"
    [seen] = [row for row in data["health_data_seen"] if row["role"] == "staff"]
    assert seen["data"] == ["medical_notes"] and seen["channel"] == "api"


def test_the_export_itself_is_recorded_in_the_access_log(client, child, guardian):
    from orchestra.models import SensitiveDataAccess

    client.force_login(guardian)
    client.get(f"/foresatt/barn/{child.pk}/data.json")

    [row] = SensitiveDataAccess.objects.filter(member=child)
    assert row.viewer == guardian and row.channel == SensitiveDataAccess.Channel.EXPORT
    assert row.role == SensitiveDataAccess.Role.GUARDIAN
    assert "medical_notes" in row.data


@pytest.fixture
def staff_user_who_looked(child, project_leader):
    from orchestra.models import SensitiveDataAccess
    from orchestra.services.access_log import record_sensitive_access

    record_sensitive_access(
        viewer=project_leader,
        seen={child.pk: [SensitiveDataAccess.Data.MEDICAL_NOTES]},
        path="/api/v1/members/",
        channel=SensitiveDataAccess.Channel.API,
    )
    return project_leader
