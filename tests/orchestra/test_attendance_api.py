# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The attendance API for every role: /session-plans/, /attendance/ and /leaves/, checked
against the API's own schema."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from orchestra.models import Attendance, LeaveOfAbsence, SessionPlan
from tests.orchestra.factories import CHILD_NAME, AttendanceFactory
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    coming,
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)

ROLES = [
    "anonymous",
    "nobody",
    "artist",
    "juror",
    "venue_host",
    "tutor",
    "other_tutor",
    "guardian",
    "other_guardian",
    "member_user",
    "project_leader",
    "admin_user",
]
STAFF = {"project_leader", "admin_user"}


@pytest.mark.parametrize("role", ROLES)
def test_session_plans_staff_see_all_tutors_their_own(
    api, role, today, check_schema, member_user, other_guardian
):
    _weekend, plans = today
    response = api(role).get("/api/v1/session-plans/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    body = check_schema(response)
    seen = {row["event"] for row in body["results"]}
    expected = {
        "tutor": {plans["tutti"].event_id, plans["strings"].event_id},
        "other_tutor": {plans["brass"].event_id},
    }
    if role in STAFF:
        assert seen == {plan.event_id for plan in plans.values()}
    else:
        assert seen == expected.get(role, set())


@pytest.mark.parametrize("role", ROLES)
def test_the_board_shows_names_instruments_and_attendance_only(
    api, role, today, check_schema, member_user, other_guardian
):
    _weekend, plans = today
    plan = plans["tutti"]
    response = api(role).get(f"/api/v1/session-plans/{plan.pk}/board/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    if role not in STAFF | {"tutor"}:
        assert response.status_code == 404
        return
    body = check_schema(response)
    assert body["counts"]["expected_total"] == 4
    names = {row["name"] for row in body["rows"]}
    if role == "tutor":
        assert f"{CHILD_NAME[0]} {CHILD_NAME[1][0]}." in names
    else:
        assert " ".join(CHILD_NAME) in names
    text = response.content.decode()
    assert "Nut allergy" not in text and "guardian@example.org" not in text
    assert set(body["rows"][0]) == {
        "member",
        "name",
        "instrument",
        "section",
        "expected",
        "reply",
        "reason",
        "on_leave",
        "recorded",
        "status",
        "scanned",
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_write_session_plans(
    api, role, today, youth_group, check_schema, member_user, other_guardian
):
    _weekend, plans = today
    plan = plans["brass"]
    response = api(role).patch(
        f"/api/v1/session-plans/{plan.pk}/", {"sections": ["brass", "woodwind"]}, format="json"
    )
    if role in STAFF:
        assert check_schema(response)["sections"] == ["brass", "woodwind"]
    else:
        assert response.status_code in (401, 403, 404)
        plan.refresh_from_db()
        assert plan.sections == ["brass"]


def test_staff_create_a_plan_and_its_tutors_become_hosts(
    api_as, project_leader, tutor, today, youth_group, season, check_schema
):
    from events.models import Event
    from tests.factories import EventFactory

    weekend, _plans = today
    event = EventFactory(
        period=season,
        parent=weekend,
        kind=Event.Kind.SESSION,
        venue=None,
        start=weekend.start,
        end=weekend.end,
    )
    response = api_as(project_leader).post(
        "/api/v1/session-plans/",
        {
            "event": event.pk,
            "groups": [youth_group.pk],
            "sections": ["woodwind"],
            "tutors": [tutor.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    check_schema(response)
    assert event.hosts.filter(pk=tutor.pk).exists()
    bad = api_as(project_leader).post(
        "/api/v1/session-plans/",
        {"event": weekend.pk, "groups": [youth_group.pk], "sections": ["singing"]},
        format="json",
    )
    assert bad.status_code == 400
    assert SessionPlan.objects.filter(event=event).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_checkin_list_action_is_for_leaders(
    api, role, today, check_schema, member_user, other_guardian
):
    _weekend, plans = today
    response = api(role).post(f"/api/v1/session-plans/{plans['tutti'].pk}/checkin-list/")
    if role in STAFF | {"tutor"}:
        body = check_schema(response)
        assert body["scanner_url"].endswith(f"/checkin/{body['id']}/")
    else:
        assert response.status_code in (401, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_recording_attendance(api, role, today, child, check_schema, member_user, other_guardian):
    _weekend, plans = today
    response = api(role).post(
        "/api/v1/attendance/record/",
        {"member": child.pk, "session": plans["tutti"].event_id, "status": "late"},
        format="json",
    )
    if role in STAFF | {"tutor"}:
        assert check_schema(response)["status"] == "late"
    else:
        assert response.status_code in (400, 401, 403)
        if response.status_code == 400:
            check_schema(response)
        assert not Attendance.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_replying_ahead(api, role, coming, child, check_schema, member_user, other_guardian):
    weekend, _plans = coming
    response = api(role).post(
        "/api/v1/attendance/reply/",
        {"member": child.pk, "weekend": weekend.pk, "reply": "not_coming", "reason": "illness"},
        format="json",
    )
    if role in STAFF | {"guardian"}:
        body = check_schema(response)
        assert len(body) == 2 and {row["reply"] for row in body} == {"not_coming"}
    else:
        assert response.status_code in (400, 401, 403)
        assert not Attendance.objects.exists()


def test_a_reply_needs_a_session_or_a_weekend_and_a_reason(api_as, guardian, coming, child):
    weekend, plans = coming
    client = api_as(guardian)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    both = client.post(
        "/api/v1/attendance/reply/",
        {
            "member": child.pk,
            "weekend": weekend.pk,
            "session": plans["tutti"].event_id,
            "reply": "coming",
        },
        format="json",
    )
    assert both.status_code == 400
    no_reason = client.post(
        "/api/v1/attendance/reply/",
        {"member": child.pk, "session": plans["tutti"].event_id, "reply": "not_coming"},
        format="json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_attendance_rows_are_listed_by_role(
    api,
    role,
    today,
    child,
    other_child,
    teen,
    trumpeter,
    check_schema,
    member_user,
    other_guardian,
):
    _weekend, plans = today
    for member in (child, other_child, teen):
        AttendanceFactory(member=member, session=plans["strings"].event, status="present")
    AttendanceFactory(member=trumpeter, session=plans["brass"].event, status="present")
    response = api(role).get("/api/v1/attendance/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    rows = check_schema(response)["results"]
    seen = {row["member"] for row in rows}
    expected = {
        "tutor": {child.pk, other_child.pk, teen.pk},
        "other_tutor": {trumpeter.pk},
        "guardian": {child.pk},
        "other_guardian": {other_child.pk},
        "member_user": {teen.pk},
    }
    if role in STAFF:
        assert seen == {child.pk, other_child.pk, teen.pk, trumpeter.pk}
    else:
        assert seen == expected.get(role, set())


@pytest.mark.parametrize("role", ROLES)
def test_leaves_by_role(api, role, child, check_schema, member_user, other_guardian):
    start = timezone.localdate() + timedelta(days=3)
    client = api(role)
    response = client.post(
        "/api/v1/leaves/",
        {
            "member": child.pk,
            "starts_on": start,
            "ends_on": start + timedelta(days=7),
            "reason": "travel",
        },
        format="json",
    )
    writers = STAFF | {"guardian"}
    if role in writers:
        leave = check_schema(response)
        listed = check_schema(client.get("/api/v1/leaves/"))["results"]
        assert [row["id"] for row in listed] == [leave["id"]]
        ended = client.post(f"/api/v1/leaves/{leave['id']}/end/", {}, format="json")
        assert ended.status_code == 204
        assert not LeaveOfAbsence.objects.exists()
    else:
        assert response.status_code in (400, 401, 403)
        assert not LeaveOfAbsence.objects.exists()
        if role != "anonymous":
            assert check_schema(client.get("/api/v1/leaves/"))["results"] == []


def test_the_attendance_list_reads_a_fixed_number_of_queries(
    api_as,
    project_leader,
    today,
    child,
    other_child,
    teen,
    trumpeter,
    django_assert_max_num_queries,
):
    _weekend, plans = today
    client = api_as(project_leader)
    AttendanceFactory(member=child, session=plans["tutti"].event)
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/attendance/")
    baseline = len(few.captured_queries)
    for member in (other_child, teen, trumpeter):
        AttendanceFactory(member=member, session=plans["tutti"].event)
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/attendance/").json()["count"] == 4


def test_a_tutor_reads_the_board_but_not_the_member_records(api, today, child, tutor):
    """Names, instruments and attendance for the tutor; birth dates, municipalities,
    guardians and consents stay with staff and the child's guardians."""
    _weekend, plans = today
    tutor_api = api("tutor")
    board = tutor_api.get(f"/api/v1/session-plans/{plans['tutti'].pk}/board/")
    assert board.status_code == 200 and board.json()["rows"]
    assert tutor_api.get("/api/v1/members/").json()["results"] == []
    assert tutor_api.get(f"/api/v1/members/{child.pk}/").status_code == 404
    assert tutor_api.get("/api/v1/consents/").json()["results"] == []
    # The child's guardian still reads the record.
    assert api("guardian").get(f"/api/v1/members/{child.pk}/").status_code == 200
