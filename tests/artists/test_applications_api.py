"""The API of calls, applications and decisions, for every role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from artists.models import Application, Call, Decision
from artists.services.applications import start_application, submit_application
from artists.services.decisions import set_decision

pytestmark = pytest.mark.django_db


def images_of(artist, count=3):
    return [image.pk for image in artist.images.order_by("position")[:count]]


def payload(call, artist, **extra):
    data = {
        "call": call.pk,
        "statement": "Jeg maler lys.",
        "cv": "CV",
        "previous_exhibitions": "",
        "images": images_of(artist),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ["anonymous", "nobody", "artist", "juror", "admin_user"])
def test_anyone_reads_calls(request, api_as, role, call, check_schema):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    body = check_schema(api_as(user).get("/api/v1/calls/"))
    assert body["results"][0]["id"] == call.pk
    assert body["results"][0]["is_open"] is True


def test_only_project_leaders_change_calls(api_as, project_leader, juror, applicant, call):
    url = f"/api/v1/calls/{call.pk}/"
    for user in (juror, applicant.user):
        assert api_as(user).patch(url, {"min_images": 1}).status_code == 403
    response = api_as(project_leader).patch(url, {"min_images": 9})
    assert response.status_code == 400  # more than the most
    assert "max_images" in response.json() or "non_field_errors" in response.json()
    assert api_as(project_leader).patch(url, {"min_images": 2}).status_code == 200


def test_artist_applies_through_the_api(api_as, applicant, call, check_schema):
    client = api_as(applicant.user)
    created = client.post("/api/v1/applications/", payload(call, applicant))
    assert created.status_code == 201
    body = check_schema(created)
    assert body["state"] == "draft"
    assert body["images"] == images_of(applicant)
    submitted = client.post(f"/api/v1/applications/{body['id']}/submit/")
    assert check_schema(submitted)["state"] == "submitted"
    late = client.put(
        f"/api/v1/applications/{body['id']}/", payload(call, applicant, statement="Endret")
    )
    assert late.status_code == 200
    withdrawn = client.post(f"/api/v1/applications/{body['id']}/withdraw/")
    assert withdrawn.json()["state"] == "withdrawn"


def test_bad_input_changes_nothing(api_as, applicant, other_applicant, call):
    client = api_as(applicant.user)
    foreign = client.post(
        "/api/v1/applications/", payload(call, applicant, images=images_of(other_applicant))
    )
    assert foreign.status_code == 400
    assert "own gallery" in foreign.json()["detail"] or "eget galleri" in foreign.json()["detail"]
    missing = client.post("/api/v1/applications/", {"statement": "x"})
    assert missing.status_code == 400
    assert "call" in missing.json()
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    late = client.post("/api/v1/applications/", payload(call, applicant))
    assert late.status_code == 400
    assert Application.objects.filter(statement="Jeg maler lys.").count() == 0


def test_an_artist_sees_and_changes_only_their_own(api_as, applicant, other_applicant, call):
    mine = start_application(call=call, artist=applicant, by=None)
    client = api_as(other_applicant.user)
    assert client.get("/api/v1/applications/").json()["count"] == 0
    assert client.get(f"/api/v1/applications/{mine.pk}/").status_code == 404
    assert (
        client.put(f"/api/v1/applications/{mine.pk}/", payload(call, other_applicant)).status_code
        == 404
    )
    assert client.post(f"/api/v1/applications/{mine.pk}/submit/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "nobody", "juror", "venue_host", "guardian"])
def test_others_have_no_applications(request, api_as, role, call, applicant):
    start_application(call=call, artist=applicant, by=None)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = api_as(user).get("/api/v1/applications/")
    if user is None:
        assert response.status_code in (401, 403)
    else:  # the list of their own applications, of which they have none
        assert response.status_code == 200 and response.json()["count"] == 0


def test_staff_read_all_but_do_not_apply(api_as, project_leader, applicant, other_applicant, call):
    start_application(call=call, artist=applicant, by=None)
    start_application(call=call, artist=other_applicant, by=None)
    client = api_as(project_leader)
    assert client.get("/api/v1/applications/", {"call": call.pk}).json()["count"] == 2
    assert client.post("/api/v1/applications/", payload(call, applicant)).status_code == 403


def submitted(call, artist):
    from artists.services.applications import update_application

    application = start_application(call=call, artist=artist, by=None)
    update_application(
        application=application,
        statement="Tekst",
        cv="",
        previous_exhibitions="",
        images=list(artist.images.order_by("position")[:3]),
        by=None,
    )
    return submit_application(application=application, by=None)


def test_a_pending_decision_is_hidden_from_the_applicant(
    api_as, project_leader, applicant, call, check_schema
):
    application = submitted(call, applicant)
    response = api_as(project_leader).post(
        "/api/v1/decisions/", {"application": application.pk, "outcome": "accepted"}
    )
    assert response.status_code == 201
    assert check_schema(response)["released_at"] is None
    mine = api_as(applicant.user).get(f"/api/v1/applications/{application.pk}/").json()
    assert mine["decision"] is None
    staff_view = api_as(project_leader).get(f"/api/v1/applications/{application.pk}/").json()
    assert staff_view["decision"]["outcome"] == "accepted"


@pytest.mark.parametrize("role", ["anonymous", "nobody", "juror", "artist"])
def test_only_project_leaders_decide(request, api_as, role, applicant, call):
    application = submitted(call, applicant)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = api_as(user)
    assert client.get("/api/v1/decisions/").status_code in (401, 403)
    response = client.post(
        "/api/v1/decisions/", {"application": application.pk, "outcome": "accepted"}
    )
    assert response.status_code in (401, 403)
    assert not Decision.objects.exists()


def test_decision_history_is_kept(api_as, project_leader, applicant, call):
    application = submitted(call, applicant)
    set_decision(application=application, outcome="waitlisted", by=project_leader)
    set_decision(application=application, outcome="accepted", by=project_leader, note="Plass")
    body = api_as(project_leader).get("/api/v1/decisions/").json()["results"][0]
    assert [(h["from"], h["to"]) for h in body["history"]] == [
        (None, "waitlisted"),
        ("waitlisted", "accepted"),
    ]


def test_a_draft_gets_no_decision(api_as, project_leader, applicant, call):
    draft = start_application(call=call, artist=applicant, by=None)
    response = api_as(project_leader).post(
        "/api/v1/decisions/", {"application": draft.pk, "outcome": "accepted"}
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_lists_keep_a_constant_number_of_queries(
    api_as, project_leader, call, applicant, django_assert_max_num_queries
):
    from tests.artists.factories import ApplyingArtistFactory

    client = api_as(project_leader)
    set_decision(application=submitted(call, applicant), outcome="accepted", by=project_leader)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/applications/")
        client.get("/api/v1/decisions/")
        client.get("/api/v1/calls/")
    for number in range(6):
        application = submitted(call, ApplyingArtistFactory(slug=f"artist{number}"))
        set_decision(application=application, outcome="rejected", by=project_leader)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/applications/")
        client.get("/api/v1/decisions/")
        client.get("/api/v1/calls/")
