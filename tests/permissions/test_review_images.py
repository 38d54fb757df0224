"""Juror vs. review images: the jury's copy of an application's image is served to the
call's jurors not in conflict with the application, and to staff; never to a juror in
conflict, a juror of another call, or anyone not logged in. Whom it refuses learns nothing
of the application (404: artists.policies.REVIEW_APPLICATION hides it). The matrix
(test_matrix.py) asks every role of the world; a juror of another call is made here."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from artists.models import Call, ReviewPhase
from core.roles import Role
from tests.factories import PeriodFactory, UserFactory

# The roles the matrix lets in: here their answer is checked to be the image itself.
ALLOWED = ("juror", "project_leader", "superuser")


def review_image_url(world, size="stor"):
    application = world.objects.jury_application
    return reverse("artists:jury_review_image", args=[application.call_id, application.pk, 1, size])


@pytest.mark.parametrize("size", ["stor", "liten"])
def test_allowed_jurors_and_staff_get_the_image(world, db, size):
    for role in ALLOWED:
        response = world.clients[role].get(review_image_url(world, size))
        assert response.status_code == 200, role
        assert response["Content-Type"] == "image/webp", role
        assert b"".join(response.streaming_content)[8:12] == b"WEBP", role


@pytest.mark.parametrize("size", ["stor", "liten"])
def test_a_juror_in_conflict_or_anonymous_gets_no_image(world, db, size):
    conflicted = world.clients["juror_in_conflict"].get(review_image_url(world, size))
    assert conflicted.status_code == 404
    anonymous = world.clients["anonymous"].get(review_image_url(world, size))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    for role in ("artist", "other_artist", "visitor", "venue_host", "guardian"):
        response = world.clients[role].get(review_image_url(world, size))
        assert response.status_code == 404, role


def test_a_juror_of_another_call_gets_no_image(world, db, client):
    """Judging the 2028 call, in its own review phase, gives nothing of the 2027 call."""
    now = timezone.now()
    edition = PeriodFactory(programme=world.objects.programme, slug="2028", name="KRV 2028")
    other_call = Call.objects.create(
        period=edition, opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=9)
    )
    ReviewPhase.objects.create(
        call=other_call,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=2),
    )
    other_juror = UserFactory(username="pm-juror-2028", roles=[Role.JUROR])
    other_call.jurors.add(other_juror)
    client.force_login(other_juror)
    for size in ("stor", "liten"):
        assert client.get(review_image_url(world, size)).status_code == 404
    # Nor under their own call's number: the application belongs to another call.
    application = world.objects.jury_application
    url = reverse("artists:jury_review_image", args=[other_call.pk, application.pk, 1, "stor"])
    assert client.get(url).status_code == 404
