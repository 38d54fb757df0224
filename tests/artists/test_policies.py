"""The artists' policies (artists.policies): who reaches which place, application and page,
and that a list filtered by a policy agrees with the policy's answer on each object."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from artists import policies
from artists.models import Application, Call, Exhibition, Studio, VisitTally
from artists.services import tallies
from artists.services.jury import mark_conflict
from core.roles import Role
from tests.artists.factories import STUDIO_DAYS, ApplicantFactory, ApplicationFactory
from tests.factories import UserFactory


def agree(policy, user, queryset) -> set:
    """Return the objects the policy lets the user reach, checking list and detail agree."""
    listed = set(policy.filter(user, queryset))
    one_by_one = {obj for obj in queryset.all() if policy.allows(user, obj)}
    assert listed == one_by_one, policy
    return listed


# Counting visitors ----------------------------------------------------------------------


@pytest.fixture
def tally(exhibition_open, venue_host):
    return tallies.record_tally(
        by=venue_host, place=exhibition_open, day=STUDIO_DAYS[0], visitors=4
    ).tally


def test_a_host_counts_at_their_own_exhibition_only(
    exhibition_open, open_studio, venue_host, other_host, project_leader, tally
):
    exhibitions = Exhibition.objects.all()
    assert agree(policies.COUNT_AT_PLACE, venue_host, exhibitions) == {exhibition_open}
    assert agree(policies.COUNT_AT_PLACE, other_host, exhibitions) == set()
    assert agree(policies.COUNT_AT_PLACE, project_leader, exhibitions) == {exhibition_open}
    assert agree(policies.COUNT_AT_PLACE, venue_host, Studio.objects.all()) == set()
    assert agree(policies.COUNT_AT_PLACE, venue_host, VisitTally.objects.all()) == {tally}
    assert agree(policies.COUNT_AT_PLACE, other_host, VisitTally.objects.all()) == set()


def test_a_host_of_another_venue_is_refused_at_the_exhibition(
    client, exhibition_open, other_host, tally
):
    """Refused (403) on the tally page, a count's correction and the poster."""
    client.force_login(other_host)
    page = reverse("artists:tally_exhibition", args=[exhibition_open.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, {"visitors": 3, "nonce": "n-1"}).status_code == 403
    correct = reverse("artists:tally_correct", args=[tally.pk])
    assert client.post(correct, {}).status_code == 403
    poster = reverse("artists:poster", args=[exhibition_open.code])
    assert client.get(poster).status_code == 403
    assert VisitTally.objects.count() == 1


def test_an_artist_counts_at_their_own_studio_only(
    open_studio, artist_profile, other_artist, venue_host
):
    studios = Studio.objects.all()
    assert agree(policies.COUNT_AT_PLACE, artist_profile.user, studios) == {open_studio}
    assert agree(policies.COUNT_AT_PLACE, other_artist.user, studios) == set()
    assert agree(policies.COUNT_AT_PLACE, venue_host, studios) == set()


# A place's page ---------------------------------------------------------------------------


def test_an_unpublished_studio_is_seen_by_its_artist_and_staff_only(
    client, open_studio, artist_profile, other_artist, project_leader
):
    Studio.objects.filter(pk=open_studio.pk).update(is_published=False)
    studios = Studio.objects.all()
    assert agree(policies.SEE_PLACE, AnonymousUser(), studios) == set()
    assert agree(policies.SEE_PLACE, other_artist.user, studios) == set()
    assert agree(policies.SEE_PLACE, artist_profile.user, studios) == {open_studio}
    assert agree(policies.SEE_PLACE, project_leader, studios) == {open_studio}
    page = reverse("artists:place", args=[open_studio.code])
    assert client.get(page).status_code == 404
    client.force_login(other_artist.user)
    assert client.get(page).status_code == 404
    client.force_login(artist_profile.user)
    assert client.get(page).status_code == 200
    Studio.objects.filter(pk=open_studio.pk).update(is_published=True)
    assert agree(policies.SEE_PLACE, AnonymousUser(), studios) == {open_studio}


# The jury ---------------------------------------------------------------------------------


def test_a_juror_reviews_the_submitted_applications_of_their_call_never_in_conflict(
    jurors, applications, other_call_juror, project_leader
):
    juror = jurors[0]
    every = Application.objects.all()
    assert agree(policies.REVIEW_APPLICATION, juror, every) == set(applications)
    mark_conflict(application=applications[0], juror=juror, reason="Kusine", by=None)
    assert agree(policies.REVIEW_APPLICATION, juror, every) == set(applications[1:])
    assert agree(policies.REVIEW_APPLICATION, jurors[1], every) == set(applications)
    assert agree(policies.REVIEW_APPLICATION, other_call_juror, every) == set()
    # Staff review every submitted application; drafts and withdrawn ones are nobody's.
    assert agree(policies.REVIEW_APPLICATION, project_leader, every) == set(applications)


def test_staff_on_the_jury_never_see_an_application_they_are_in_conflict_with(jurors, applications):
    leader = UserFactory(username="leder-jury", roles=[Role.PROJECT_LEADER, Role.JUROR])
    applications[0].call.jurors.add(leader)
    mark_conflict(application=applications[0], juror=leader, reason="Bror", by=None)
    reached = agree(policies.REVIEW_APPLICATION, leader, Application.objects.all())
    assert reached == set(applications[1:])


def test_the_jury_pages_of_a_call_are_its_jurors_and_staffs(
    jurors, jury_call, other_call, other_call_juror, project_leader
):
    calls = Call.objects.all()
    assert agree(policies.SEE_JURY_CALL, jurors[0], calls) == {jury_call}
    assert agree(policies.SEE_JURY_CALL, other_call_juror, calls) == {other_call}
    assert agree(policies.SEE_JURY_CALL, project_leader, calls) == {jury_call, other_call}


# An artist's own pages ------------------------------------------------------------------


def test_an_artist_never_reaches_another_artists_draft(jury_call, jury_media):
    mine = ApplicationFactory(
        call=jury_call,
        artist=ApplicantFactory(name="Eva Egen", slug="eva-egen"),
        state=Application.State.DRAFT,
    )
    theirs = ApplicationFactory(
        call=jury_call,
        artist=ApplicantFactory(name="Ola Annen", slug="ola-annen"),
        state=Application.State.DRAFT,
    )
    every = Application.objects.all()
    assert agree(policies.OWN_APPLICATION, mine.artist.user, every) == {mine}
    assert agree(policies.OWN_APPLICATION, theirs.artist.user, every) == {theirs}


def test_the_own_pages_need_an_artist_profile(client, artist_profile, admin_user):
    without_profile = UserFactory(username="rolle-uten-profil", roles=[Role.ARTIST])
    assert policies.OWN_ARTIST_PAGES.admits(artist_profile.user)
    assert not policies.OWN_ARTIST_PAGES.admits(without_profile)
    assert not policies.OWN_ARTIST_PAGES.admits(admin_user)  # a superuser is no artist
    client.force_login(without_profile)
    assert client.get(reverse("artists:profile")).status_code == 403
