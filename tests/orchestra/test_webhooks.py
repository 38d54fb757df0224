"""The orchestra's webhook events (core.webhooks): a member registered, a member left. The
payload names the member by id only: never a child's name, birth date or contact, nor a
guardian's, nor why they left."""

import pytest

from orchestra.models import Member, StatusChange
from orchestra.selectors.registration import guardians_of
from orchestra.services import set_status
from tests.orchestra.factories import NEW_CHILD, registered_child
from tests.webhooks import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(webhook_receiver):
    receiver = webhook_receiver()
    subscribe(receiver, "member.registered", "member.left")
    return receiver


def private_values(member: Member) -> list[str]:
    values = [member.first_name, member.last_name, member.birth_date.isoformat()]
    for guardian in guardians_of(member):
        values += [guardian.first_name, guardian.last_name, guardian.email, guardian.phone]
    return [value for value in values if value]


def test_member_registered_and_left_carry_no_personal_data(
    receiver, registration_open, municipality, project_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = registered_child(registration_open, municipality)
    with django_capture_on_commit_callbacks(execute=True):
        set_status(
            member=member,
            status=StatusChange.Status.LEFT,
            reason=StatusChange.Reason.OTHER,
            note="Flyttet til Bergen med mor",
            by=project_leader,
        )
    (registered,) = receiver.payloads("member.registered")
    assert registered["data"] == {
        "member": member.pk,
        "status": "applicant",
        "since": registered["data"]["since"],
    }
    (left,) = receiver.payloads("member.left")
    assert left["data"]["member"] == member.pk
    assert left["data"]["status"] == "left"
    assert set(left["data"]) == {"member", "status", "since"}
    assert all(request["signed"] for request in receiver.received)
    private = [*private_values(member), *NEW_CHILD, "Flyttet", "other"]
    for request in receiver.received:
        body = request["body"].decode()
        for value in private:
            assert value not in body, value
