"""The art round's and the events' audiences of messages to groups (core.audiences), and
a message to an edition's artists end to end through a real SMTP server."""

from email.header import decode_header, make_header

import pytest

from artists.services import applications as application_services
from core import audiences, group_messages
from tests.artists.factories import art_round_call, decide, new_artist
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_with_outcomes(project_leader):
    call = art_round_call()
    accepted = new_artist("Anna Akvarell", language="en")
    waiting = new_artist("Bjørn Bronse")
    rejected = new_artist("Cecilie Collage")
    decide(
        call, {accepted: "accepted", waiting: "waitlisted", rejected: "rejected"}, by=project_leader
    )
    drafting = new_artist("Dag Draft")
    application_services.start_application(call=call, artist=drafting, by=None)
    return call


def emails(found) -> list[str]:
    return [r.email for r in found]


def test_an_edition_s_artists_are_the_accepted_ones(
    call_with_outcomes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        found = audiences.recipients_of(
            "artists.edition_artists", {"edition": call_with_outcomes.period_id}
        )
    assert [(r.label, r.language, r.role) for r in found] == [("Anna Akvarell", "en", "artist")]


@pytest.mark.parametrize(
    "state, expected",
    [
        ("submitted", ["Anna Akvarell", "Bjørn Bronse", "Cecilie Collage"]),
        ("draft", ["Dag Draft"]),
        ("accepted", ["Anna Akvarell"]),
        ("waitlisted", ["Bjørn Bronse"]),
        ("rejected", ["Cecilie Collage"]),
        ("withdrawn", []),
    ],
)
def test_a_call_s_applicants_by_state(call_with_outcomes, state, expected):
    found = audiences.recipients_of(
        "artists.applicants", {"call": call_with_outcomes.pk, "state": state}
    )
    assert [r.label for r in found] == expected
    assert {r.role for r in found} <= {"applicant"}


def test_hosts_of_an_edition_s_events(call_with_outcomes, venue_host):
    event = EventFactory(period=call_with_outcomes.period)
    event.hosts.add(venue_host, UserFactory(username="host2"))
    EventFactory().hosts.add(UserFactory(username="elsewhere"))
    found = audiences.recipients_of("events.hosts", {"period": call_with_outcomes.period_id})
    assert sorted(emails(found)) == ["host2@example.org", "host@example.org"]


def test_a_message_to_the_artists_reaches_them_in_their_language(
    smtp, django_capture_on_commit_callbacks, call_with_outcomes, project_leader, client
):
    sink = smtp()
    message = group_messages.save_draft(
        by=project_leader,
        audience="artists.applicants",
        audience_params={"call": str(call_with_outcomes.pk), "state": "submitted"},
        category="group_message",
        subject_nb="Åpningen",
        text_nb="Velkommen til åpningen.",
        subject_en="The opening",
        text_en="Welcome to the opening.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(message, by=project_leader)
    subjects = {m["To"]: str(make_header(decode_header(m["Subject"]))) for m in sink.received}
    assert len(subjects) == 3
    english = [to for to, subject in subjects.items() if subject == "The opening"]
    assert len(english) == 1
    artist = message.recipients.get(email=english[0])
    assert artist.label == "Anna Akvarell" and artist.language == "en"
    # The artist reads it on their own page too.
    client.force_login(artist.user)
    page = client.get("/meldinger/").content.decode()
    assert "Welcome to the opening." in page
