"""Change notices to the orchestra (orchestra.notices): the guardians of the members a
session expects, members with their own login and the tutors, each once, through a real
SMTP server, never with a child's name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.due import send_due_messages
from events.models import Event
from events.notices import audience
from tests.factories import UserFactory
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME
from tests.orchestra.test_calendars_feeds import Season

pytestmark = pytest.mark.django_db

NAMES = (*CHILD_NAME, *OTHER_CHILD_NAME, *TEEN_NAME)


@pytest.fixture
def weekend(season, youth_group, junior_group):
    return Season(season, youth_group, junior_group)


def move(event, hours=1):
    event = Event.objects.get(pk=event.pk)
    event.start += timedelta(hours=hours)
    event.end += timedelta(hours=hours)
    event.save()


def send(capture):
    with capture(execute=True):
        send_due_messages(timezone.now() + timedelta(minutes=6), only="events.change_notices")


def body_of(message):
    parts = [p.get_payload(decode=True) for p in message.walk() if not p.is_multipart()]
    return b"\n".join(parts).decode()


def test_a_moved_tutti_reaches_guardians_members_with_a_login_and_tutors(
    weekend, child, other_child, teen, member_user, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    tutor = UserFactory(username="dirigent", email="dirigent@example.org")
    weekend.tutti.orchestra_plan.tutors.add(tutor)
    counts = {kind: n for kind, _label, n in audience(weekend.tutti).counts()}
    assert counts == {"guardian": 2, "member": 1, "tutor": 1}
    move(weekend.tutti)
    send(django_capture_on_commit_callbacks)
    assert sorted(m["To"] for m in sink.received) == [
        "dirigent@example.org",
        "guardian@example.org",
        "maja@example.org",
        "other-guardian@example.org",
    ]
    for message in sink.received:
        body = body_of(message)
        assert "Tutti" in body
        for name in NAMES:
            assert name not in body, (message["To"], name)


def test_a_session_of_one_group_reaches_only_that_group_s_guardians(
    weekend, child, other_child, teen, member_user, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    move(weekend.junior_day)
    send(django_capture_on_commit_callbacks)
    assert [m["To"] for m in sink.received] == ["guardian@example.org"]


def test_a_moved_weekend_reaches_everyone_its_sessions_expect(
    weekend, child, other_child, teen, member_user, django_assert_max_num_queries
):
    # The weekend stands for its sessions: the audience is read in a bounded number of
    # queries however many members there are.
    with django_assert_max_num_queries(40):
        found = audience(weekend.weekend)
    assert {r.email for r in found.recipients} == {
        "guardian@example.org",
        "other-guardian@example.org",
        "maja@example.org",
    }
