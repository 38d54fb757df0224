"""Open studios: registration, shared studios, opening hours within the weekends, numbers."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from artists.exceptions import ArtistsError
from artists.models import Studio, StudioHours
from artists.services import studios as services
from tests.artists.factories import make_studio

pytestmark = pytest.mark.django_db


def test_an_accepted_artist_registers_a_studio(studio, artist_profile):
    assert list(studio.artists.all()) == [artist_profile]
    assert studio.venue.latitude == Decimal("59.833")
    assert studio.venue.accessibility == "Step-free entrance."


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (Decimal("48.85"), Decimal("2.35"), "latitude"),  # Paris
        (Decimal("59.9"), Decimal("-10.7"), "longitude"),
        (Decimal("10.7"), Decimal("59.9"), "latitude"),  # swapped
    ],
)
def test_coordinates_outside_norway_are_refused(
    accepted, artist_profile, edition, latitude, longitude, field
):
    with pytest.raises(ValidationError) as error:
        make_studio(
            artist_profile,
            edition,
            by=artist_profile.user,
            latitude=latitude,
            longitude=longitude,
        )
    assert field in error.value.message_dict
    assert not Studio.objects.exists()


def test_a_studio_without_coordinates_is_allowed(accepted, artist_profile, edition):
    studio = make_studio(
        artist_profile, edition, by=artist_profile.user, latitude=None, longitude=None
    )
    assert not studio.venue.has_coordinates


def test_an_artist_not_accepted_opens_no_studio(accepted, refused_artist, edition):
    with pytest.raises(ArtistsError):
        make_studio(refused_artist, edition, by=refused_artist.user)


def test_one_studio_per_artist_and_edition(studio, artist_profile, edition):
    with pytest.raises(ArtistsError):
        make_studio(artist_profile, edition, by=artist_profile.user, name="Second")


def test_another_artist_joins_a_shared_studio(studio, artist_profile, other_artist):
    services.join_studio(artist=other_artist, studio=studio, by=other_artist.user)
    assert set(studio.artists.all()) == {artist_profile, other_artist}


def test_no_one_registers_a_studio_for_another_artist(accepted, artist_profile, edition):
    with pytest.raises(ArtistsError):
        make_studio(artist_profile, edition, by=accepted[1].user)


def test_hours_on_a_weekend_day(studio, artist_profile, weekends):
    hours = services.set_studio_hours(
        studio=studio,
        by=artist_profile.user,
        day=date(2016, 9, 18),
        opens=time(11),
        closes=time(17),
    )
    assert hours.weekend == weekends[0]
    # Setting the same day again changes it, it does not add a second row.
    services.set_studio_hours(
        studio=studio,
        by=artist_profile.user,
        day=date(2016, 9, 18),
        opens=time(12),
        closes=time(16),
    )
    assert StudioHours.objects.get().opens == time(12)


def test_hours_outside_the_weekends_are_refused(studio, artist_profile):
    with pytest.raises(ArtistsError):
        services.set_studio_hours(
            studio=studio,
            by=artist_profile.user,
            day=date(2016, 9, 20),
            opens=time(11),
            closes=time(17),
        )


def test_closing_before_opening_is_refused(studio, artist_profile):
    with pytest.raises(ValidationError) as error:
        services.set_studio_hours(
            studio=studio,
            by=artist_profile.user,
            day=date(2016, 9, 17),
            opens=time(17),
            closes=time(11),
        )
    assert "closes" in error.value.message_dict


def test_only_the_studios_artists_and_staff_set_its_hours(studio, other_artist, project_leader):
    with pytest.raises(ArtistsError):
        services.set_studio_hours(
            studio=studio,
            by=other_artist.user,
            day=date(2016, 9, 17),
            opens=time(11),
            closes=time(17),
        )
    services.set_studio_hours(
        studio=studio, by=project_leader, day=date(2016, 9, 17), opens=time(11), closes=time(17)
    )


def test_published_numbers_stay(studio, other_artist, edition, project_leader):
    services.publish_studio_numbers(edition=edition)
    studio.refresh_from_db()
    assert (studio.number, studio.is_published) == (1, True)
    # A studio that sorts first by name comes later: it gets the next number.
    later = make_studio(other_artist, edition, by=other_artist.user, name="Aaa atelier")
    services.number_studios(edition=edition)
    studio.refresh_from_db()
    later.refresh_from_db()
    assert (studio.number, later.number) == (1, 2)
    assert not later.is_published


def test_unpublished_numbers_follow_the_order(studio, other_artist, edition):
    later = make_studio(other_artist, edition, by=other_artist.user, name="Aaa atelier")
    services.number_studios(edition=edition)
    studio.refresh_from_db()
    later.refresh_from_db()
    assert (later.number, studio.number) == (1, 2)
