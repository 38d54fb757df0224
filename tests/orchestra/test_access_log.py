"""The access log of sensitive data: every view of a child's medical notes or emergency
contacts (the emergency sheet, the tour participants API, the members API for staff, the
guardian's trip page, the admin's change pages) and every export holding them is
recorded, one insert per page view, by member id; staff read the log (page, API, admin);
a guardian sees who looked at their child's health data; no log line names a child."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from orchestra.models import SensitiveDataAccess
from orchestra.resources import MemberResource, MemberWithMedicalNotesResource
from orchestra.services.access_log import record_sensitive_access
from orchestra.services.retention import anonymise_member
from tests.orchestra import test_tours
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME, new_member

tour = test_tours.tour
on_tour = test_tours.on_tour
tour_leader = test_tours.tour_leader
travel_text = test_tours.travel_text

Data = SensitiveDataAccess.Data
Role = SensitiveDataAccess.Role
NAMES = (*CHILD_NAME, *OTHER_CHILD_NAME, *TEEN_NAME)


@pytest.fixture(autouse=True)
def _in_english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def inserts_into_log(queries) -> int:
    table = SensitiveDataAccess._meta.db_table
    return sum(
        1
        for query in queries
        if query["sql"].upper().startswith("INSERT") and table in query["sql"]
    )


def test_emergency_sheet_records_every_child_in_one_insert(
    client, tour, on_tour, child, other_child, teen, tour_leader, caplog
):
    client.force_login(tour_leader)
    url = reverse("orchestra:tour_emergency", args=[tour.pk])
    with caplog.at_level(logging.DEBUG), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert inserts_into_log(queries.captured_queries) == 1
    rows = SensitiveDataAccess.objects.all()
    assert {row.member_id for row in rows} == {child.pk, other_child.pk, teen.pk}
    for row in rows:
        assert row.viewer == tour_leader
        assert row.role == Role.TOUR_LEADER
        assert row.path == url
        assert row.channel == SensitiveDataAccess.Channel.PAGE
        assert set(row.data) == {
            Data.MEDICAL_NOTES,
            Data.TRIP_MEDICAL_NOTES,
            Data.EMERGENCY_CONTACTS,
        }
    assert not [name for name in NAMES if name in caplog.text]


def test_participant_page_without_notes_records_nothing(client, tour, on_tour, tour_leader):
    client.force_login(tour_leader)
    assert client.get(reverse("orchestra:tour_participants", args=[tour.pk])).status_code == 200
    assert not SensitiveDataAccess.objects.exists()


def test_tour_participants_api_records_what_it_showed(
    api_as, tour, on_tour, child, other_child, teen, tour_leader, guardian
):
    with CaptureQueriesContext(connection) as queries:
        assert api_as(tour_leader).get("/api/v1/tour-participants/").status_code == 200
    assert inserts_into_log(queries.captured_queries) == 1
    rows = SensitiveDataAccess.objects.filter(viewer=tour_leader)
    assert {row.member_id for row in rows} == {child.pk, other_child.pk, teen.pk}
    assert {row.channel for row in rows} == {SensitiveDataAccess.Channel.API}
    assert set(rows[0].data) == {Data.TRIP_MEDICAL_NOTES, Data.EMERGENCY_CONTACTS}
    # The guardian sees their own child's: recorded as the guardian.
    api_as(guardian).get(f"/api/v1/tour-participants/{on_tour[child.pk].pk}/")
    row = SensitiveDataAccess.objects.get(viewer=guardian)
    assert (row.member_id, row.role) == (child.pk, Role.GUARDIAN)


def test_tour_leader_outside_the_window_leaves_no_row(api_as, far_tour, on_tour, tour_leader):
    api_as(tour_leader).get("/api/v1/tour-participants/")
    assert not SensitiveDataAccess.objects.exists()


far_tour = test_tours.far_tour


def test_members_api_records_medical_notes_for_staff_only(
    api_as, child, other_child, guardian, project_leader
):
    api_as(guardian).get("/api/v1/members/")
    assert not SensitiveDataAccess.objects.exists()
    api_as(project_leader).get("/api/v1/members/")
    rows = SensitiveDataAccess.objects.all()
    assert {row.member_id for row in rows} == {child.pk, other_child.pk}
    assert {row.role for row in rows} == {Role.STAFF}
    assert rows[0].data == [Data.MEDICAL_NOTES]


def test_trip_page_records_the_guardian(client, on_tour, child, guardian):
    client.force_login(guardian)
    client.get(reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk]))
    row = SensitiveDataAccess.objects.get()
    assert (row.member_id, row.viewer, row.role) == (child.pk, guardian, Role.GUARDIAN)


def test_admin_change_pages_record_the_view(client, admin_user, on_tour, child):
    client.force_login(admin_user)
    client.get(reverse("admin:orchestra_member_change", args=[child.pk]))
    client.get(reverse("admin:orchestra_tourparticipant_change", args=[on_tour[child.pk].pk]))
    rows = SensitiveDataAccess.objects.order_by("pk")
    assert [(row.member_id, row.channel) for row in rows] == [
        (child.pk, SensitiveDataAccess.Channel.ADMIN),
        (child.pk, SensitiveDataAccess.Channel.ADMIN),
    ]
    assert rows[0].data == [Data.MEDICAL_NOTES]
    assert set(rows[1].data) == {Data.TRIP_MEDICAL_NOTES, Data.EMERGENCY_CONTACTS}


def test_admin_export_with_medical_notes_is_recorded(client, admin_user, child, other_child):
    client.force_login(admin_user)
    url = reverse("admin:orchestra_member_export")

    def export(resource):
        fields = [*MemberResource.Meta.fields]
        if resource is MemberWithMedicalNotesResource:
            fields.append("medical_notes")
        prefix = resource.__name__.lower()
        index = "1" if resource is MemberWithMedicalNotesResource else "0"
        data = {"format": "0", "resource": index, **{f"{prefix}_{f}": "on" for f in fields}}
        return client.post(url, data)

    plain = export(MemberResource)
    assert plain.status_code == 200 and b"first_name" in plain.content
    assert not SensitiveDataAccess.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        noted = export(MemberWithMedicalNotesResource)
    assert noted.status_code == 200 and b"Nut allergy" in noted.content
    assert inserts_into_log(queries.captured_queries) == 1
    rows = SensitiveDataAccess.objects.all()
    assert {row.member_id for row in rows} == {child.pk, other_child.pk}
    assert {row.channel for row in rows} == {SensitiveDataAccess.Channel.EXPORT}


# Reading the log -------------------------------------------------------------------------


@pytest.fixture
def logged(child, other_child, tour_leader, project_leader):
    record_sensitive_access(
        viewer=tour_leader,
        seen={child.pk: [Data.TRIP_MEDICAL_NOTES], other_child.pk: [Data.TRIP_MEDICAL_NOTES]},
        path="/orkester/turne/1/nodark/",
        channel=SensitiveDataAccess.Channel.PAGE,
    )
    record_sensitive_access(
        viewer=project_leader,
        seen={child.pk: [Data.MEDICAL_NOTES]},
        path="/api/v1/members/",
        channel=SensitiveDataAccess.Channel.API,
    )


@pytest.mark.parametrize(
    "role", ["guardian", "other_guardian", "tour_leader", "tutor", "member_user", None]
)
def test_staff_page_is_for_staff_only(client, request, logged, role):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("orchestra:access_log"))
    assert response.status_code == (302 if role is None else 404)


def test_staff_page_filters_by_member_and_viewer(
    client, logged, child, other_child, tour_leader, project_leader
):
    client.force_login(project_leader)
    url = reverse("orchestra:access_log")
    everything = client.get(url).content.decode()
    assert everything.count('class="access-log"') == 1
    assert f"?member={other_child.pk}" in everything
    by_member = client.get(url, {"member": other_child.pk}).content.decode()
    assert f"#{other_child.pk}" in by_member and f"#{child.pk}<" not in by_member
    by_viewer = client.get(url, {"viewer": project_leader.pk}).content.decode()
    assert "/api/v1/members/" in by_viewer and "/nodark/" not in by_viewer
    assert client.get(url, {"member": "abc"}).status_code == 400


def test_staff_page_takes_constant_queries(
    client, logged, child, project_leader, municipality, django_assert_max_num_queries
):
    client.force_login(project_leader)
    url = reverse("orchestra:access_log")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(6):
        member = new_member(("Barn", f"Nr {number}"), age=10, municipality=municipality)
        record_sensitive_access(
            viewer=project_leader,
            seen={member.pk: [Data.MEDICAL_NOTES]},
            path="/x/",
            channel=SensitiveDataAccess.Channel.API,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_api_is_for_staff_with_filters(
    api_as, logged, child, other_child, guardian, tour_leader, project_leader, check_schema
):
    url = "/api/v1/sensitive-data-accesses/"
    for user in (guardian, tour_leader):
        response = api_as(user).get(url)
        assert response.status_code in (403, 404) or response.json().get("results") == []
    assert api_as(None).get(url).status_code in (401, 403)
    body = check_schema(api_as(project_leader).get(url, {"member": other_child.pk}))
    assert [row["member"] for row in body["results"]] == [other_child.pk]
    body = check_schema(api_as(project_leader).get(url, {"viewer": project_leader.pk}))
    assert [row["data"] for row in body["results"]] == [[Data.MEDICAL_NOTES]]
    assert api_as(project_leader).get(url, {"member": "abc"}).status_code == 400


def test_api_list_takes_constant_queries(
    api_as, logged, project_leader, municipality, django_assert_max_num_queries
):
    client = api_as(project_leader)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/sensitive-data-accesses/")
    for number in range(6):
        member = new_member(("Barn", f"Nr {number}"), age=10, municipality=municipality)
        record_sensitive_access(
            viewer=project_leader,
            seen={member.pk: [Data.MEDICAL_NOTES]},
            path="/x/",
            channel=SensitiveDataAccess.Channel.API,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/sensitive-data-accesses/")


def test_admin_log_is_read_only(client, admin_user, logged):
    client.force_login(admin_user)
    assert client.get(reverse("admin:orchestra_sensitivedataaccess_changelist")).status_code == 200
    row = SensitiveDataAccess.objects.first()
    page = client.get(reverse("admin:orchestra_sensitivedataaccess_change", args=[row.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(reverse("admin:orchestra_sensitivedataaccess_add")).status_code == 403


def test_guardian_sees_who_looked_at_their_childs_health_data(
    client, logged, child, guardian, other_guardian, tour_leader
):
    tour_leader.first_name, tour_leader.last_name = "Tove", "Turleder"
    tour_leader.save()
    client.force_login(guardian)
    page = client.get(reverse("orchestra:my_children")).content.decode()
    assert "Tour leader · Tove Turleder" in page
    assert "Staff" in page
    client.force_login(other_guardian)
    other = client.get(reverse("orchestra:my_children")).content.decode()
    assert "Tove Turleder" in other  # the other child was on the sheet too
    assert "/api/v1/members/" not in other


def test_rows_are_kept_when_the_member_is_anonymised(logged, child):
    before = SensitiveDataAccess.objects.filter(member=child).count()
    anonymise_member(child, by=None)
    assert SensitiveDataAccess.objects.filter(member=child).count() == before
    assert CHILD_NAME[0] not in str(list(SensitiveDataAccess.objects.values()))
