"""The tour API: /api/v1/tours/, /api/v1/tour-participants/ and /api/v1/tour-costs/ for
every role, restricted fields exactly as the rules say, writes, and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orchestra.models import TourParticipant
from orchestra.services import tours as tour_services
from tests.orchestra import test_tours
from tests.orchestra.factories import new_member
from tests.orchestra.test_tours import ROLES, STAFF, TRIP_CONTACT, TRIP_NOTES

# The tour fixtures of test_tours, shared with this module.
tour = test_tours.tour
far_tour = test_tours.far_tour
on_tour = test_tours.on_tour
tour_leader = test_tours.tour_leader
travel_text = test_tours.travel_text
_in_english = test_tours._in_english

TOURS = "/api/v1/tours/"
PARTICIPANTS = "/api/v1/tour-participants/"
COSTS = "/api/v1/tour-costs/"


def user_of(request, role):
    return None if role is None else request.getfixturevalue(role)


def results(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


@pytest.fixture
def with_cost(tour):
    tour_services.add_cost(tour=tour, description="Fly og hotell", amount=Decimal("505251"))
    return tour


@pytest.mark.parametrize("role", ROLES)
def test_tours_for_every_role(request, api_as, with_cost, on_tour, check_schema, role):
    response = api_as(user_of(request, role)).get(TOURS)
    if role is None:
        assert response.status_code in (401, 403)
        return
    body = results(check_schema(response))
    if role in STAFF:
        assert len(body) == 1
        assert Decimal(body[0]["overrun"]) == Decimal("105251")
        assert body[0]["time_zone"] == "Europe/Madrid"
    elif role in ("tour_leader", "guardian", "other_guardian", "member_user"):
        assert len(body) == 1
        assert "budget" not in body[0] and "overrun" not in body[0]
    else:
        assert body == []


@pytest.mark.parametrize("role", ROLES)
def test_participants_and_restricted_fields_for_every_role(
    request, api_as, on_tour, child, other_child, teen, check_schema, role
):
    response = api_as(user_of(request, role)).get(PARTICIPANTS)
    if role is None:
        assert response.status_code in (401, 403)
        return
    body = {item["id"]: item for item in results(check_schema(response))}
    mine = on_tour[child.pk].pk
    if role in STAFF or role == "tour_leader":
        assert len(body) == 5
        assert body[mine]["medical_notes"] == TRIP_NOTES
        assert body[mine]["emergency_contacts"] == TRIP_CONTACT
        assert "travel consent" in body[mine]["missing"]
    elif role == "guardian":
        assert list(body) == [mine]
        assert body[mine]["medical_notes"] == TRIP_NOTES
    elif role == "other_guardian":
        assert list(body) == [on_tour[other_child.pk].pk]
    elif role == "member_user":
        assert list(body) == [on_tour[teen.pk].pk]
        assert "medical_notes" in body[on_tour[teen.pk].pk]
    else:
        assert body == {}


def test_tour_leader_outside_the_period_sees_no_participants(
    api_as, far_tour, on_tour, child, tour_leader, check_schema
):
    assert results(check_schema(api_as(tour_leader).get(PARTICIPANTS))) == []
    one = api_as(tour_leader).get(f"{PARTICIPANTS}{on_tour[child.pk].pk}/")
    assert one.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_costs_are_for_staff(request, api_as, with_cost, check_schema, role):
    response = api_as(user_of(request, role)).get(COSTS)
    if role in STAFF:
        assert len(results(check_schema(response))) == 1
    else:
        assert response.status_code in (401, 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_write(request, api_as, tour, on_tour, child, role):
    client = api_as(user_of(request, role))
    created = client.post(
        PARTICIPANTS,
        {"tour": tour.pk, "role": "companion", "name": "Ny Voksen"},
        format="json",
    )
    cost = client.post(
        COSTS, {"tour": tour.pk, "description": "Buss", "amount": "1000.00"}, format="json"
    )
    changed = client.patch(f"{TOURS}{tour.pk}/", {"budget": "1.00"}, format="json")
    if role in STAFF:
        assert created.status_code == 201, created.content
        assert cost.status_code == 201
        assert changed.status_code == 200
        assert changed.json()["budget"] == "1.00"
    else:
        assert created.status_code in (401, 403)
        assert cost.status_code in (401, 403)
        assert changed.status_code in (401, 403, 404)


def test_staff_get_field_errors(api_as, project_leader, tour, child, check_schema):
    client = api_as(project_leader)
    response = client.post(
        PARTICIPANTS, {"tour": tour.pk, "role": "player", "name": "Uten medlem"}, format="json"
    )
    assert response.status_code == 400
    assert "member" in response.json()
    response = client.patch(f"{TOURS}{tour.pk}/", {"time_zone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert "time_zone" in response.json()
    response = client.post(
        PARTICIPANTS, {"tour": tour.pk, "role": "player", "member": child.pk}, format="json"
    )
    assert response.status_code == 201
    check_schema(response)


@pytest.mark.parametrize("role", ROLES)
def test_trip_details_by_the_childs_guardian(request, api_as, on_tour, child, role):
    url = f"{PARTICIPANTS}{on_tour[child.pk].pk}/trip-details/"
    response = api_as(user_of(request, role)).post(
        url, {"dietary_needs": "Gluten-free"}, format="json"
    )
    on_tour[child.pk].refresh_from_db()
    if role in STAFF or role == "guardian":
        assert response.status_code == 200, response.content
        assert on_tour[child.pk].dietary_needs == "Gluten-free"
    else:
        assert response.status_code in (400, 401, 403, 404)
        assert on_tour[child.pk].dietary_needs == "No nuts"


@pytest.mark.parametrize("url", [TOURS, PARTICIPANTS, COSTS])
def test_lists_read_a_fixed_number_of_queries(
    api_as, project_leader, tour, on_tour, municipality, url
):
    tour_services.add_cost(tour=tour, description="Fly", amount=Decimal("1000"))
    client = api_as(project_leader)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        member = new_member((f"Flere{index}", "Testesen"), age=12, municipality=municipality)
        tour_services.add_player(tour=tour, member=member, by=None)
        tour_services.add_adult(
            tour=tour, role=TourParticipant.Role.COMPANION, name=f"V{index}", by=None
        )
        tour_services.add_cost(tour=tour, description=f"K{index}", amount=Decimal("10"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_participant_list_for_a_tour_leader_reads_a_fixed_number_of_queries(
    api_as, tour_leader, tour, on_tour, municipality
):
    client = api_as(tour_leader)
    client.get(PARTICIPANTS)
    with CaptureQueriesContext(connection) as few:
        client.get(PARTICIPANTS)
    for index in range(5):
        member = new_member((f"Flere{index}", "Testesen"), age=12, municipality=municipality)
        tour_services.add_player(tour=tour, member=member, by=None)
    with CaptureQueriesContext(connection) as many:
        client.get(PARTICIPANTS)
    assert len(many) == len(few)
