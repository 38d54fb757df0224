"""Fixtures for visitor counts: an open studio and the joint exhibition of 2016, with hosts.

Import them with ``from tests.artists.visit_fixtures import *`` (they build on the
exhibition fixtures, which this module re-exports).
"""

from datetime import date, time

import pytest

from artists.models import ExhibitionHours
from artists.services import studios as studio_services
from core.roles import Role
from tests.artists.exhibition_fixtures import *  # noqa: F403
from tests.artists.factories import art_round_call
from tests.factories import UserFactory

STUDIO_DAYS = [date(2016, 9, 17), date(2016, 9, 18), date(2016, 9, 24), date(2016, 9, 25)]


@pytest.fixture
def open_studio(studio, artist_profile):
    """The artist's studio, open 11–17 on all four open-studio days of 2016."""
    for day in STUDIO_DAYS:
        studio_services.set_studio_hours(
            studio=studio, by=artist_profile.user, day=day, opens=time(11), closes=time(17)
        )
    return studio


@pytest.fixture
def exhibition_open(joint_exhibition, venue_host):
    """The joint exhibition, open 12–17 every day from 10 to 25 September, kept by venue_host."""
    ExhibitionHours.objects.bulk_create(
        ExhibitionHours(
            exhibition=joint_exhibition, date=date(2016, 9, day), opens=time(12), closes=time(17)
        )
        for day in range(10, 26)
        if day != 12  # closed on Monday 12 September
    )
    joint_exhibition.event.hosts.add(venue_host)
    return joint_exhibition


@pytest.fixture
def other_host(db):
    """A venue host of another venue: hosts nothing here."""
    return UserFactory(username="otherhost", roles=[Role.VENUE_HOST])


def edition_in(year: int):
    """Return a new edition of the art round running through the given year."""
    edition = art_round_call(str(year)).period
    edition.start, edition.end = date(year, 1, 1), date(year, 12, 31)
    edition.save(update_fields=["start", "end"])
    return edition


def add_studios(edition, count: int, *, first_number: int = 100, days=None) -> list:
    """Add studios without artists, open on the given days (the first weekend of 2016)."""
    from artists.models import Studio, StudioHours
    from tests.factories import VenueFactory

    studios = [
        Studio.objects.create(edition=edition, venue=VenueFactory(), number=first_number + n)
        for n in range(count)
    ]
    StudioHours.objects.bulk_create(
        StudioHours(studio=studio, date=day, opens=time(11), closes=time(17))
        for studio in studios
        for day in (days or STUDIO_DAYS[:2])
    )
    return studios


@pytest.fixture
def asker_after_flush(transactional_db):
    """The studio's municipality (Asker), for tests that flush the database.

    It comes from a data migration, but a transactional test before may have flushed it.
    """
    from events.models import Municipality

    Municipality.objects.get_or_create(
        number="3203", defaults={"name": "Asker", "county": "Akershus"}
    )


@pytest.fixture
def shared_studio(open_studio, other_artist):
    """The artist's studio, shared with other_artist: both count there."""
    open_studio.artists.add(other_artist)
    return open_studio
