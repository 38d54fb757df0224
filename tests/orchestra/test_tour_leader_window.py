"""A tour leader sees a tour's participants only in the leaders' window (a week before the
tour's first day to its last day), on every path: the participant page, the emergency
sheet, the tour list and the event page's links, /api/v1/tour-participants/ (list and
record) and the member's medical notes. Staff keep their access.

``past_tour`` moves the tour so that it ended yesterday; ``far_tour`` two months ahead.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from orchestra.models import Tour
from orchestra.selectors.tours import tours_open_to_leader
from orchestra.selectors.visibility import may_see_medical_notes
from tests.orchestra import test_tours
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME
from tests.orchestra.test_tours import TRIP_CONTACT, TRIP_NOTES

tour = test_tours.tour
far_tour = test_tours.far_tour
on_tour = test_tours.on_tour
tour_leader = test_tours.tour_leader
travel_text = test_tours.travel_text
_in_english = test_tours._in_english

PARTICIPANTS = "/api/v1/tour-participants/"


def move_tour(tour, by: timedelta) -> Tour:
    Event.objects.filter(pk=tour.event_id).update(
        start=tour.event.start + by, end=tour.event.end + by
    )
    for leg in Event.objects.filter(parent=tour.event_id):
        Event.objects.filter(pk=leg.pk).update(start=leg.start + by, end=leg.end + by)
    return Tour.objects.select_related("event").get(pk=tour.pk)


@pytest.fixture
def past_tour(tour):
    """Move the tour so that its last day (in Madrid) was yesterday."""
    tour = Tour.objects.select_related("event").get(pk=tour.pk)
    shift = timezone.localdate() - timedelta(days=1) - tour.last_day
    return move_tour(tour, timedelta(days=shift.days))


@pytest.fixture(params=["past_tour", "far_tour"])
def closed_tour(request, on_tour):
    """The tour outside its leaders' window: ended yesterday, or two months ahead."""
    return request.getfixturevalue(request.param)


def leaks(content: str) -> list[str]:
    markers = (CHILD_NAME[0], CHILD_NAME[1], OTHER_CHILD_NAME[0], TRIP_NOTES, TRIP_CONTACT)
    return [marker for marker in markers if marker in content]


def test_the_window_is_one_rule(tour, past_tour, on_tour, tour_leader):
    """tours_open_to_leader() is the window: open on the first and last day, closed after."""
    first, last = past_tour.leader_access_window()
    assert past_tour.pk in tours_open_to_leader(tour_leader, today=last).values_list("pk", flat=1)
    assert past_tour.pk in tours_open_to_leader(tour_leader, today=first).values_list("pk", flat=1)
    assert not tours_open_to_leader(tour_leader, today=last + timedelta(days=1)).exists()
    assert not tours_open_to_leader(tour_leader, today=first - timedelta(days=1)).exists()
    assert not tours_open_to_leader(tour_leader).exists()  # it ended yesterday


def test_participant_page_closes_after_the_tour(client, closed_tour, tour_leader):
    client.force_login(tour_leader)
    response = client.get(reverse("orchestra:tour_participants", args=[closed_tour.pk]))
    assert response.status_code == 404
    assert not leaks(response.content.decode())


def test_emergency_sheet_closes_after_the_tour(client, closed_tour, tour_leader):
    client.force_login(tour_leader)
    response = client.get(reverse("orchestra:tour_emergency", args=[closed_tour.pk]))
    assert response.status_code == 404


def test_api_list_has_no_participants_after_the_tour(
    api_as, closed_tour, tour_leader, check_schema
):
    body = check_schema(api_as(tour_leader).get(PARTICIPANTS))
    items = body["results"] if isinstance(body, dict) else body
    assert items == []


def test_api_record_is_not_found_after_the_tour(api_as, closed_tour, on_tour, child, tour_leader):
    response = api_as(tour_leader).get(f"{PARTICIPANTS}{on_tour[child.pk].pk}/")
    assert response.status_code == 404
    assert not leaks(response.content.decode())


def test_api_list_filtered_by_the_tour_is_empty_after_it(
    api_as, closed_tour, tour_leader, check_schema
):
    body = check_schema(api_as(tour_leader).get(PARTICIPANTS, {"tour": closed_tour.pk}))
    items = body["results"] if isinstance(body, dict) else body
    assert items == []


def test_tour_list_and_event_page_link_no_participants_after_the_tour(
    client, closed_tour, tour_leader
):
    client.force_login(tour_leader)
    participants = reverse("orchestra:tour_participants", args=[closed_tour.pk])
    emergency = reverse("orchestra:tour_emergency", args=[closed_tour.pk])
    for url in (
        reverse("orchestra:tours"),
        reverse("events:event_detail", args=[closed_tour.event_id]),
    ):
        response = client.get(url)
        content = response.content.decode() if response.status_code == 200 else ""
        assert participants not in content
        assert emergency not in content
        assert not leaks(content)


def test_medical_notes_close_after_the_tour(closed_tour, child, tour_leader):
    assert not may_see_medical_notes(tour_leader, child)


def test_staff_keep_their_access_after_the_tour(
    client, api_as, closed_tour, on_tour, child, project_leader
):
    client.force_login(project_leader)
    page = client.get(reverse("orchestra:tour_participants", args=[closed_tour.pk]))
    assert page.status_code == 200 and CHILD_NAME[0] in page.content.decode()
    sheet = client.get(reverse("orchestra:tour_emergency", args=[closed_tour.pk]))
    assert sheet.status_code == 200 and TRIP_NOTES in sheet.content.decode()
    record = api_as(project_leader).get(f"{PARTICIPANTS}{on_tour[child.pk].pk}/").json()
    assert record["medical_notes"] == TRIP_NOTES
    assert may_see_medical_notes(project_leader, child)


def test_guardian_keeps_their_childs_trip_after_the_tour(
    client, api_as, past_tour, on_tour, child, guardian
):
    record = api_as(guardian).get(f"{PARTICIPANTS}{on_tour[child.pk].pk}/")
    assert record.status_code == 200
    assert record.json()["medical_notes"] == TRIP_NOTES
    client.force_login(guardian)
    url = reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk])
    assert client.get(url).status_code == 200


def test_leader_sees_participants_on_the_last_day(client, api_as, past_tour, on_tour, tour_leader):
    """The day before the move (the tour's last day) the window is still open."""
    tour = move_tour(past_tour, timedelta(days=1))
    assert tour.last_day == timezone.localdate()
    client.force_login(tour_leader)
    page = client.get(reverse("orchestra:tour_participants", args=[tour.pk]))
    assert page.status_code == 200 and CHILD_NAME[0] in page.content.decode()
    body = api_as(tour_leader).get(PARTICIPANTS).json()
    items = body["results"] if isinstance(body, dict) else body
    assert len(items) == 5
