"""The artists' webhook events (core.webhooks): an application submitted, a call's
decisions released. Ids and times only: no statement, no outcome, no artist's contact."""

import pytest

from artists.models import Application
from tests.artists.factories import art_round_call, decide, new_artist
from tests.webhooks import subscribe

pytestmark = pytest.mark.django_db


def test_application_submitted_and_decisions_released(
    webhook_receiver, project_leader, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    subscribe(receiver, "application.submitted", "decisions.released")
    call = art_round_call()
    accepted, rejected = new_artist("Alma Akvarell"), new_artist("Rolf Relieff")
    with django_capture_on_commit_callbacks(execute=True):
        decide(call, {accepted: "accepted", rejected: "rejected"}, by=project_leader)
    applications = list(Application.objects.filter(call=call).order_by("pk"))
    submitted = receiver.payloads("application.submitted")
    assert [payload["data"]["id"] for payload in submitted] == [a.pk for a in applications]
    assert submitted[0]["data"]["call"] == call.pk
    assert submitted[0]["data"]["artist"] == accepted.pk
    assert submitted[0]["data"]["state"] == "submitted"
    (released,) = receiver.payloads("decisions.released")
    assert released["data"]["call"] == call.pk
    assert released["data"]["edition"] == call.period_id
    assert released["data"]["applications"] == [a.pk for a in applications]
    assert all(request["signed"] for request in receiver.received)
    for request in receiver.received:
        body = request["body"].decode()
        for private in ("Jeg arbeider med lys", "rejected", accepted.email, "Rolf"):
            assert private not in body
