"""The permission matrix's rule for tour leaders: during the leaders' window (the world's
tour starts in three days) a tour leader reads their tour's participants; after it (the
past tour ended ten days ago) they read none of them, on any path, while staff keep their
access. Every other URL is walked for the past tour's leader by test_matrix (no name, no
note of any member: NAMES_VISIBLE_TO and MEDICAL_VISIBLE_TO give them none)."""

import pytest
from django.urls import reverse

from tests.permissions.matrix import body_of, medical_in, names_in


def _paths(tour, player) -> dict[str, str]:
    return {
        "participant page": reverse("orchestra:tour_participants", args=[tour.pk]),
        "emergency sheet": reverse("orchestra:tour_emergency", args=[tour.pk]),
        "API record": f"/api/v1/tour-participants/{player.pk}/",
    }


@pytest.mark.parametrize("path_name", ["participant page", "emergency sheet", "API record"])
def test_tour_leader_during_the_window(world, path_name, db):
    o = world.objects
    response = world.clients["tour_leader"].get(_paths(o.tour, o.tour_player)[path_name])
    assert response.status_code == 200
    assert "child" in names_in(body_of(response))
    if path_name != "participant page":
        assert "trip" in medical_in(body_of(response))


@pytest.mark.parametrize("path_name", ["participant page", "emergency sheet", "API record"])
def test_tour_leader_after_the_window(world, path_name, db):
    o = world.objects
    path = _paths(o.past_tour, o.past_tour_player)[path_name]
    response = world.clients["past_tour_leader"].get(path)
    assert response.status_code == 404
    assert not names_in(body_of(response))
    assert not medical_in(body_of(response))
    staff = world.clients["project_leader"].get(path)
    assert staff.status_code == 200
    assert "child" in names_in(body_of(staff))


@pytest.mark.parametrize("query", ["", "?tour={past}", "?role=player"])
def test_tour_leader_after_the_window_lists_no_participants(world, query, db):
    o = world.objects
    url = "/api/v1/tour-participants/" + query.format(past=o.past_tour.pk)
    response = world.clients["past_tour_leader"].get(url)
    assert response.status_code == 200
    body = response.json()
    assert (body["results"] if isinstance(body, dict) else body) == []


def test_tour_list_and_event_page_of_a_past_tour_link_no_participants(world, db):
    o = world.objects
    client = world.clients["past_tour_leader"]
    participants = reverse("orchestra:tour_participants", args=[o.past_tour.pk])
    for url in (
        reverse("orchestra:tours"),
        reverse("events:event_detail", args=[o.past_tour.event_id]),
    ):
        response = client.get(url)
        text = body_of(response) if response.status_code == 200 else ""
        assert participants not in text
        assert not names_in(text)
