"""Change notices to artists (artists.notices): those who show in a joint exhibition that
moves, and those whose studios open in an open-studio weekend that moves, each in their
language through a real SMTP server."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from artists.models import Exhibition, StudioHours
from core.due import send_due_messages
from events.models import Event
from events.notices import audience
from tests.artists.factories import (
    ArtistFactory,
    ExhibitionFactory,
    StudioFactory,
    WorkFactory,
)
from tests.factories import EventFactory, PeriodFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(db):
    return PeriodFactory()


def move(event, hours=1):
    event = Event.objects.get(pk=event.pk)
    event.start += timedelta(hours=hours)
    event.end += timedelta(hours=hours)
    event.save()


def test_the_artists_of_a_moved_joint_exhibition_are_told_in_their_language(
    edition, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    exhibition = ExhibitionFactory(
        event=EventFactory(
            period=edition,
            kind=Event.Kind.EXHIBITION,
            title_nb="Fellesutstilling",
            title_en="Joint exhibition",
        ),
        role=Exhibition.Role.JOINT,
    )
    showing = ArtistFactory(email="viser@example.org", language="en")
    WorkFactory(artist=showing, edition=edition)
    ArtistFactory(email="ikke@example.org")  # shows nothing this edition
    assert [r.email for r in audience(exhibition.event).recipients] == ["viser@example.org"]
    move(exhibition.event)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_messages(timezone.now() + timedelta(minutes=6), only="events.change_notices")
    (message,) = sink.received
    assert message["To"] == "viser@example.org"
    assert message["Subject"] == "Changed: Joint exhibition"


def test_the_artists_of_studios_open_in_a_moved_weekend_are_told(edition):
    weekend = EventFactory(period=edition, kind=Event.Kind.OPEN_STUDIO_WEEKEND)
    open_studio = StudioFactory(edition=edition, venue=VenueFactory(), number=1)
    open_studio.artists.add(ArtistFactory(email="apen@example.org"))
    StudioHours.objects.create(
        studio=open_studio, date=timezone.localdate(weekend.start), opens=time(11), closes=time(17)
    )
    closed = StudioFactory(edition=edition, venue=VenueFactory(), number=2)
    closed.artists.add(ArtistFactory(email="stengt@example.org"))
    found = audience(weekend)
    assert [(r.kind, r.email) for r in found.recipients] == [("artist", "apen@example.org")]
