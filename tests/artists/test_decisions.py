"""Decisions: pending, released in one batch, letters in the outbox, feedback, the pages."""

import socket
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from artists.exceptions import ArtistsError
from artists.models import Decision, Letter, LetterTemplate, Review, Score
from artists.selectors.jury import outbox_letters
from artists.services.applications import (
    start_application,
    submit_application,
    update_application,
)
from artists.services.decisions import (
    release_decisions,
    resend_letter,
    send_letters,
    set_decision,
)
from core.models import AuditEntry, OutboundMessage
from tests.artists.factories import ApplyingArtistFactory, CriterionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def submitted(call, artist):
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


@pytest.fixture
def criterion(call):
    return CriterionFactory(call=call, name_nb="Kvalitet", lowest=1, highest=5)


def review(application, juror, value, criterion, *, comment="", shareable=False):
    created = Review.objects.create(
        application=application,
        juror=juror,
        comment=comment,
        comment_shareable=shareable,
        is_complete=True,
        weighted_score=criterion.normalized(value) * 100,
    )
    Score.objects.create(review=created, criterion=criterion, value=value)
    return created


@pytest.fixture
def scored(call, criterion, applicant, other_applicant):
    """Two applications, each reviewed by two jurors; the applicant scores lower."""
    jurors = [UserFactory(username="j1"), UserFactory(username="j2")]
    call.jurors.set(jurors)
    weak = submitted(call, applicant)
    strong = submitted(call, other_applicant)
    review(weak, jurors[0], 2, criterion, comment="Uferdig, men lovende.", shareable=True)
    review(weak, jurors[1], 3, criterion, comment="Intern merknad.", shareable=False)
    review(strong, jurors[0], 5, criterion)
    review(strong, jurors[1], 5, criterion)
    return weak, strong


def test_decisions_are_pending_until_released_and_keep_their_history(call, scored, project_leader):
    weak, strong = scored
    decision = set_decision(application=weak, outcome="waitlisted", by=project_leader)
    assert decision.released_at is None
    set_decision(application=weak, outcome="waitlisted", by=project_leader)  # no change
    set_decision(application=weak, outcome="rejected", by=project_leader, note="Færre plasser")
    history = list(decision.history.values_list("from_outcome", "to_outcome", "note"))
    assert history == [("", "waitlisted", ""), ("waitlisted", "rejected", "Færre plasser")]
    with pytest.raises(ArtistsError):
        set_decision(application=weak, outcome="maybe", by=project_leader)


def test_release_writes_letters_in_each_artists_language_with_feedback(
    call, scored, project_leader
):
    weak, strong = scored
    call.feedback_to_applicants = True
    call.save()
    strong.artist.language = "en"
    strong.artist.save()
    set_decision(application=weak, outcome="rejected", by=project_leader)
    set_decision(application=strong, outcome="accepted", by=project_leader)

    letters = {
        letter.application_id: letter for letter in release_decisions(call=call, by=project_leader)
    }
    assert Decision.objects.filter(released_at__isnull=True).count() == 0
    rejected = letters[weak.pk]
    assert rejected.subject == "Svar på søknad til Kunst rett vest 2027"
    assert rejected.to_email == "maleren@example.org"
    # Own weighted score 37.5 (25 and 50), median of both applications' totals 68.8.
    assert "Poeng: 37.5" in rejected.body
    assert "Median: 68.8" in rejected.body
    assert "Uferdig, men lovende." in rejected.body
    assert "Intern merknad." not in rejected.body
    assert "j1" not in rejected.body and "j2" not in rejected.body
    accepted = letters[strong.pk]
    assert accepted.subject == "Welcome to Kunst rett vest 2027"
    assert accepted.body.startswith("Dear Kari Keramiker")
    assert not mail.outbox  # nothing is sent before staff send it

    with pytest.raises(ArtistsError, match="No decisions"):
        release_decisions(call=call, by=project_leader)


def test_no_feedback_unless_the_call_gives_it(call, scored, project_leader):
    weak, _strong = scored
    call.feedback_to_applicants = False
    call.save()
    set_decision(application=weak, outcome="rejected", by=project_leader)
    (letter,) = release_decisions(call=call, by=project_leader)
    assert "Poeng: ." in letter.body
    assert "lovende" not in letter.body


def test_release_needs_a_norwegian_template_for_each_outcome(call, scored, project_leader):
    weak, _strong = scored
    LetterTemplate.objects.filter(outcome="rejected").delete()
    set_decision(application=weak, outcome="rejected", by=project_leader)
    with pytest.raises(ArtistsError, match="Rejected"):
        release_decisions(call=call, by=project_leader)
    assert Decision.objects.get().released_at is None
    assert not Letter.objects.exists()


def test_send_letters_once(call, scored, project_leader, django_capture_on_commit_callbacks):
    weak, strong = scored
    set_decision(application=weak, outcome="rejected", by=project_leader)
    set_decision(application=strong, outcome="accepted", by=project_leader)
    letters = release_decisions(call=call, by=project_leader)
    # Letters are outbound messages, delivered after commit (core.mail).
    with django_capture_on_commit_callbacks(execute=True):
        assert send_letters(letters=letters, by=project_leader) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_letters(letters=letters, by=project_leader) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "keramikeren@example.org",
        "maleren@example.org",
    ]
    # Each letter's delivery is its outbound message's.
    delivered = {letter.pk: letter for letter in outbox_letters(call)}
    assert {letter.delivery_status for letter in delivered.values()} == {"sent"}
    assert all(letter.delivered_at is not None for letter in delivered.values())
    assert OutboundMessage.objects.filter(kind="artists.letter").count() == 2


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_letter_that_failed_shows_its_error_and_is_sent_again_from_the_outbox(
    client, call, scored, project_leader, settings, django_capture_on_commit_callbacks
):
    weak, strong = scored
    set_decision(application=weak, outcome="rejected", by=project_leader)
    set_decision(application=strong, outcome="accepted", by=project_leader)
    release_decisions(call=call, by=project_leader)
    client.force_login(project_leader)
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("artists:outbox", args=[call.pk])
    # The mail server does not answer: without a broker, one attempt, then failed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Letter.objects.filter(sent_at__isnull=True).count() == 0  # handed over, both
    page = client.get(url).content.decode()
    assert "Not delivered (2)" in page
    assert "ConnectionRefusedError" in page
    assert "Sent (" not in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    letter = Letter.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"resend": letter.pk})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[letter.to_email]]
    page = client.get(url).content.decode()
    assert "Not delivered (1)" in page and "Sent (1)" in page
    assert AuditEntry.objects.filter(action="core.outboundmessage.resent").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"resend": letter.pk})  # sent already: never twice
    assert len(mail.outbox) == 1


def test_a_letter_not_sent_yet_cannot_be_sent_again(call, scored, project_leader):
    weak, _strong = scored
    set_decision(application=weak, outcome="rejected", by=project_leader)
    [letter] = release_decisions(call=call, by=project_leader)
    with pytest.raises(ArtistsError):
        resend_letter(letter=letter, by=project_leader)


def test_a_letter_of_another_call_is_not_resent_here(client, call, project_leader):
    client.force_login(project_leader)
    response = client.post(reverse("artists:outbox", args=[call.pk]), {"resend": "999999"})
    assert response.status_code == 404
    response = client.post(reverse("artists:outbox", args=[call.pk]), {"resend": "x"})
    assert response.status_code == 404


def test_the_applicant_sees_the_outcome_and_feedback_only_once_released(
    client, call, scored, project_leader
):
    weak, _strong = scored
    call.feedback_to_applicants = True
    call.save()
    set_decision(application=weak, outcome="rejected", by=project_leader)
    client.force_login(weak.artist.user)
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("artists:application", args=[call.pk])
    assert "The jury's decision" not in client.get(url).content.decode()
    release_decisions(call=call, by=project_leader)
    page = client.get(url).content.decode()
    assert "The jury&#x27;s decision" in page or "The jury's decision" in page
    assert "37.5" in page
    assert "Uferdig, men lovende." in page
    assert "Intern merknad." not in page


# The staff pages ---------------------------------------------------------------------------


def test_staff_decide_release_and_send_from_the_pages(
    client, call, scored, project_leader, django_capture_on_commit_callbacks
):
    weak, strong = scored
    client.force_login(project_leader)
    url = reverse("artists:decisions", args=[call.pk])
    page = client.get(url).content.decode()
    assert weak.artist.name in page and strong.artist.name in page
    client.post(url, {f"outcome-{weak.pk}": "rejected", f"outcome-{strong.pk}": "accepted"})
    assert dict(Decision.objects.values_list("application_id", "outcome")) == {
        weak.pk: "rejected",
        strong.pk: "accepted",
    }
    response = client.post(url, {"release": "1"})
    assert response["Location"] == reverse("artists:outbox", args=[call.pk])
    outbox = client.get(response["Location"]).content.decode()
    assert "Svar på søknad til Kunst rett vest 2027" in outbox
    first = Letter.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"letter": [first.pk]})
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    assert len(mail.outbox) == 2


def test_an_application_of_another_call_cannot_be_decided_here(
    client, call, scored, project_leader, call_edition
):
    client.force_login(project_leader)
    response = client.post(
        reverse("artists:decisions", args=[call.pk]), {"outcome-999999": "accepted"}
    )
    assert response.status_code == 302
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["juror", "artist", "venue_host", "guardian", "nobody"])
def test_staff_pages_are_for_staff(request, client, call, role):
    client.force_login(request.getfixturevalue(role))
    for name in ("artists:decisions", "artists:outbox"):
        assert client.get(reverse(name, args=[call.pk])).status_code == 403


def test_the_decisions_page_keeps_a_constant_number_of_queries(
    client, call, criterion, project_leader, django_assert_max_num_queries
):
    juror = UserFactory(username="j1")
    client.force_login(project_leader)

    def grow(start, count):
        for number in range(start, start + count):
            application = submitted(call, ApplyingArtistFactory(slug=f"kunstner{number}"))
            review(application, juror, 1 + number % 5, criterion)
            set_decision(application=application, outcome="accepted", by=project_leader)

    grow(0, 3)
    url = reverse("artists:decisions", args=[call.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    grow(3, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"sort": "name"})
    assert response.content.decode().count("<tr>") >= 16
    assert Decimal("0") <= Review.objects.first().weighted_score <= Decimal("100")


def test_the_outbox_keeps_a_constant_number_of_queries(
    client, call, project_leader, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)

    def grow(start, count):
        for number in range(start, start + count):
            application = submitted(call, ApplyingArtistFactory(slug=f"kunstner{number}"))
            set_decision(application=application, outcome="accepted", by=project_leader)
        letters = release_decisions(call=call, by=project_leader)
        with django_capture_on_commit_callbacks(execute=True):
            send_letters(letters=letters[: count // 2], by=project_leader)  # half sent

    grow(0, 2)
    url = reverse("artists:outbox", args=[call.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    grow(2, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('name="letter"') == 6  # the unsent, to tick
