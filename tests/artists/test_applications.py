"""Applying to a call: drafts, deadlines, eligibility, submission, withdrawal, the pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from artists.exceptions import ArtistsError
from artists.models import Application, ApplicationImage, Call
from artists.services.applications import (
    start_application,
    submit_application,
    update_application,
    withdraw_application,
)
from events.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """A browser that reads the site in English, to match the messages below."""
    client.post(reverse("set_language"), {"language": "en"})
    return client


def fill(application, *, images=3, statement="Jeg maler lys."):
    chosen = list(application.artist.images.order_by("position")[:images])
    return update_application(
        application=application,
        statement=statement,
        cv="CV",
        previous_exhibitions="Utstillinger",
        images=chosen,
        by=None,
    )


def test_draft_edit_and_submit_with_a_receipt(call, applicant, django_capture_on_commit_callbacks):
    application = start_application(call=call, artist=applicant, by=None)
    assert application.state == Application.State.DRAFT
    assert start_application(call=call, artist=applicant, by=None) == application  # one per call
    fill(application, images=4)
    assert ApplicationImage.objects.filter(application=application).count() == 4
    fill(application, images=3)  # edits replace the choice
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_application(application=application, by=None)
    assert submitted.state == Application.State.SUBMITTED
    assert submitted.submitted_at is not None
    assert mail.outbox[-1].to == ["maleren@example.org"]
    assert "Kunst rett vest 2027" in mail.outbox[-1].subject
    # Still editable until the deadline.
    fill(submitted, statement="Ny tekst")
    submitted.refresh_from_db()
    assert submitted.statement == "Ny tekst"
    with pytest.raises(ArtistsError, match="already submitted"):
        submit_application(application=submitted, by=None)


def test_an_incomplete_application_cannot_be_submitted(call, applicant):
    application = start_application(call=call, artist=applicant, by=None)
    fill(application, images=2, statement="")
    with pytest.raises(ArtistsError) as error:
        submit_application(application=application, by=None)
    assert "at least 3" in str(error.value)
    assert "statement" in str(error.value)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_too_many_foreign_or_repeated_images_are_refused(call, applicant, other_applicant):
    application = start_application(call=call, artist=applicant, by=None)
    own = list(applicant.images.all())
    extra = own + [other_applicant.images.first()]
    for images, message in (
        ([*own, *own[:2]], "once"),
        ([other_applicant.images.first()], "own gallery"),
        (extra, "own gallery"),
    ):
        with pytest.raises(ArtistsError, match=message):
            update_application(
                application=application,
                statement="x",
                cv="",
                previous_exhibitions="",
                images=images,
                by=None,
            )
    call.max_images = 3
    call.save()
    with pytest.raises(ArtistsError, match="at most 3"):
        fill(application, images=4)
    assert not ApplicationImage.objects.filter(application=application).exists()


def test_late_submission_and_late_edits_are_refused(call, applicant):
    application = start_application(call=call, artist=applicant, by=None)
    fill(application)
    later = call.closes_at + timedelta(seconds=1)
    with pytest.raises(ArtistsError, match="deadline"):
        submit_application(application=application, now=later, by=None)
    with pytest.raises(ArtistsError, match="deadline"):
        update_application(
            application=application,
            statement="late",
            cv="",
            previous_exhibitions="",
            images=[],
            now=later,
            by=None,
        )
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert application.statement == "Jeg maler lys."


def test_a_call_not_yet_open(call, applicant):
    Call.objects.filter(pk=call.pk).update(opens_at=timezone.now() + timedelta(days=1))
    call.refresh_from_db()
    with pytest.raises(ArtistsError, match="opens"):
        start_application(call=call, artist=applicant, by=None)


def test_eligibility_municipality_professional_and_invitation(call, applicant):
    applicant.home_municipality = Municipality.objects.get(number="3301")  # Drammen
    applicant.save()
    with pytest.raises(ArtistsError, match="municipalities"):
        start_application(call=call, artist=applicant, by=None)
    applicant.studio_municipality = Municipality.objects.get(number="3201")  # Bærum
    applicant.is_professional = False
    applicant.save()
    with pytest.raises(ArtistsError, match="professional"):
        start_application(call=call, artist=applicant, by=None)
    applicant.is_professional = True
    applicant.save()
    call.invitation_only = True
    call.save()
    with pytest.raises(ArtistsError, match="invitation"):
        start_application(call=call, artist=applicant, by=None)
    call.invited.add(applicant)
    assert start_application(call=call, artist=applicant, by=None).pk


def test_withdraw(call, applicant):
    application = start_application(call=call, artist=applicant, by=None)
    fill(application)
    submit_application(application=application, by=None)
    withdrawn = withdraw_application(application=application, by=None)
    assert withdrawn.state == Application.State.WITHDRAWN
    with pytest.raises(ArtistsError):
        withdraw_application(application=application, by=None)
    with pytest.raises(ArtistsError, match="withdrawn"):
        fill(application)


# The pages --------------------------------------------------------------------------------


def url(call):
    return reverse("artists:application", args=[call.pk])


def post(client, call, applicant, action="save", images=3, **extra):
    data = {
        "statement": "Jeg maler lys.",
        "cv": "CV",
        "previous_exhibitions": "",
        "images": [image.pk for image in applicant.images.order_by("position")[:images]],
        "action": action,
    }
    data.update(extra)
    return client.post(url(call), data)


def test_artist_applies_through_the_page(client, call, applicant):
    client.force_login(applicant.user)
    page = client.get(url(call))
    assert page.status_code == 200
    assert "Verk 0" in page.content.decode()
    assert post(client, call, applicant).status_code == 302
    application = Application.objects.get()
    assert application.state == Application.State.DRAFT
    assert post(client, call, applicant, action="submit").status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    listing = client.get(reverse("artists:applications")).content.decode()
    assert "Kunst rett vest 2027" in listing


def test_submitting_incomplete_shows_what_is_missing_and_keeps_the_draft(client, call, applicant):
    client.force_login(applicant.user)
    response = post(client, call, applicant, action="submit", images=1)
    assert response.status_code == 400
    assert "at least 3" in response.content.decode()
    application = Application.objects.get()
    assert application.state == Application.State.DRAFT
    assert ApplicationImage.objects.filter(application=application).count() == 1


def test_after_the_deadline_the_page_is_read_only_and_posts_are_refused(client, call, applicant):
    client.force_login(applicant.user)
    post(client, call, applicant)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get(url(call)).content.decode()
    assert "cannot be changed" in page
    response = post(client, call, applicant, action="submit", statement="sent late")
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
    assert Application.objects.get().state == Application.State.DRAFT


@pytest.mark.parametrize("role", ["juror", "venue_host", "guardian", "nobody"])
def test_only_artists_with_a_profile_apply(request, client, call, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(call)).status_code == 403
    assert client.post(url(call), {"action": "save"}).status_code == 403
    assert not Application.objects.exists()


def test_anonymous_users_log_in_first(client, call):
    response = client.get(url(call))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_artist_sees_only_their_own_application(client, call, applicant, other_applicant):
    application = start_application(call=call, artist=applicant, by=None)
    fill(application, statement="Mari sin hemmelige tekst")
    client.force_login(other_applicant.user)
    page = client.get(url(call)).content.decode()
    assert "Mari sin hemmelige tekst" not in page
    post(client, call, other_applicant)
    assert Application.objects.get(artist=applicant).statement == "Mari sin hemmelige tekst"
