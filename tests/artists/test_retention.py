# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Retention in the art round: rejected applications lose their texts and images after
ARTISTS_REJECTED_APPLICATION_MONTHS; artists without an application or login for
ARTISTS_INACTIVE_YEARS lose their login and private contacts, and keep their public page."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from artists.models import Application, ApplicationImage, Artist, ArtistImage, Letter, Review
from artists.services.decisions import release_decisions, set_decision
from core.retention import apply_retention
from core.roles import Role
from tests.artists.factories import ApplyingArtistFactory
from tests.artists.test_decisions import criterion, review, submitted  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def runs_by_key():
    return {run.rule.key: run for run in apply_retention()}


@pytest.fixture
def decided(call, criterion, applicant, other_applicant, project_leader):
    """The applicant rejected and the other accepted, released, with a juror's comment."""
    juror = UserFactory(username="juror", roles=[Role.JUROR])
    call.jurors.set([juror])
    rejected = submitted(call, applicant)
    accepted = submitted(call, other_applicant)
    review(rejected, juror, 2, criterion, comment="Svak komposisjon.")
    set_decision(application=rejected, outcome="rejected", by=project_leader)
    set_decision(application=accepted, outcome="accepted", by=project_leader)
    release_decisions(call=call, by=project_leader)
    return rejected, accepted


def released_days_ago(days):
    from artists.models import Decision

    Decision.objects.update(released_at=timezone.now() - timedelta(days=days))


def test_rejected_applications_lose_texts_and_images_after_the_set_months(decided, settings):
    settings.ARTISTS_REJECTED_APPLICATION_MONTHS = 12
    rejected, accepted = decided
    released_days_ago(300)
    assert runs_by_key()["artists.rejected_applications"].records == []
    assert Application.objects.get(pk=rejected.pk).statement == "Tekst"

    released_days_ago(370)
    run = runs_by_key()["artists.rejected_applications"]

    assert [record.pk for record in run.records] == [rejected.pk]
    gone = Application.objects.get(pk=rejected.pk)
    assert (gone.statement, gone.cv, gone.previous_exhibitions) == ("", "", "")
    assert not ApplicationImage.objects.filter(application=gone).exists()
    assert Review.objects.get(application=gone).comment == ""
    assert set(Letter.objects.filter(application=gone).values_list("to_email", "body")) <= {
        ("", "")
    }
    # The images stay in the artist's own gallery; the accepted application is untouched.
    assert ArtistImage.objects.filter(artist=gone.artist).count() == 4
    assert Application.objects.get(pk=accepted.pk).statement == "Tekst"
    assert ApplicationImage.objects.filter(application=accepted).count() == 3
    assert runs_by_key()["artists.rejected_applications"].records == []


def test_an_artist_who_never_applied_again_loses_login_and_contacts(settings):
    settings.ARTISTS_INACTIVE_YEARS = 5
    quiet = ApplyingArtistFactory(slug="stille", images=1, phone="+47 955 55 555")
    active = ApplyingArtistFactory(slug="aktiv", images=1)
    juror_too = ApplyingArtistFactory(slug="jurymedlem", images=0)
    juror_too.user.groups.add(*UserFactory(roles=[Role.JUROR]).groups.all())
    long_ago = timezone.now() - timedelta(days=5 * 366 + 2)
    Artist.objects.filter(pk__in=[quiet.pk, juror_too.pk]).update(created_at=long_ago)
    get_user_model().objects.filter(pk__in=[quiet.user_id, juror_too.user_id]).update(
        last_login=long_ago
    )
    Artist.objects.filter(pk=active.pk).update(created_at=long_ago)  # logged in recently
    get_user_model().objects.filter(pk=active.user_id).update(last_login=timezone.now())

    run = runs_by_key()["artists.inactive_artists"]

    assert sorted(record.pk for record in run.records) == sorted([quiet.pk, juror_too.pk])
    quiet.refresh_from_db()
    assert (quiet.user, quiet.email, quiet.phone) == (None, "", "")
    assert quiet.name == "Stille" and quiet.images.count() == 1  # the public page stays
    assert not get_user_model().objects.filter(username="stille").exists()
    # A login with another role stays, unlinked from the artist.
    assert get_user_model().objects.filter(username="jurymedlem").exists()
    assert Artist.objects.get(pk=active.pk).user is not None
    assert runs_by_key()["artists.inactive_artists"].records == []


def test_a_withdrawn_application_loses_its_texts_too(call, applicant, settings):
    from artists.services.applications import withdraw_application

    settings.ARTISTS_REJECTED_APPLICATION_MONTHS = 12
    application = withdraw_application(application=submitted(call, applicant), by=None)
    Application.objects.filter(pk=application.pk).update(
        withdrawn_at=timezone.now() - timedelta(days=370)
    )
    run = runs_by_key()["artists.rejected_applications"]
    assert [record.pk for record in run.records] == [application.pk]
    assert Application.objects.get(pk=application.pk).statement == ""
    assert not ApplicationImage.objects.filter(application=application).exists()


def test_an_artist_gone_quiet_loses_contact_preference_and_failing_marks(settings):
    from core import reach
    from core.models import ContactPreference, FailingAddress

    settings.ARTISTS_INACTIVE_YEARS = 5
    quiet = ApplyingArtistFactory(slug="stille", images=0, phone="+47 955 55 555")
    long_ago = timezone.now() - timedelta(days=5 * 366 + 2)
    Artist.objects.filter(pk=quiet.pk).update(created_at=long_ago)
    get_user_model().objects.filter(pk=quiet.user_id).update(last_login=long_ago)
    reach.save_preference(
        quiet.user, language="en", mobile="41234567", sms=True, email_enabled=True, muted=[]
    )
    for channel, address in [
        ("email", quiet.user.email),
        ("email", quiet.email),
        ("sms", "+4741234567"),  # the preference's number
        ("sms", "+4795555555"),  # the artist's phone
        ("email", "someone@example.org"),
    ]:
        reach.mark_failing(channel, address, "gone")

    assert runs_by_key()["artists.inactive_artists"].cleared == 1

    assert not ContactPreference.objects.exists()
    assert list(FailingAddress.objects.values_list("address", flat=True)) == ["someone@example.org"]
