"""Exhibitions and the one work each accepted artist shows in the joint exhibition."""

import pytest
from django.core.exceptions import ValidationError

from artists.exceptions import ArtistsError
from artists.models import Exhibition, ExhibitionHours, Work
from artists.services import exhibitions as services
from events.models import Event
from tests.artists.factories import image_upload
from tests.factories import EventFactory, oslo

pytestmark = pytest.mark.django_db

WORK = {"title": "Lys over fjorden", "year": 2016, "technique": "Oil on canvas"}


def test_an_accepted_artist_registers_one_work_with_a_cleaned_image(accepted, edition):
    artist = accepted[0]
    work = services.register_work(
        artist=artist,
        edition=edition,
        by=artist.user,
        upload=image_upload(),
        dimensions=" 60 × 80 cm ",
        for_sale=True,
        price=12000,
        **WORK,
    )
    assert work.dimensions == "60 × 80 cm"
    assert work.image and work.thumbnail and work.display
    assert work.price == 12000


def test_a_second_work_is_refused(accepted, edition):
    artist = accepted[0]
    services.register_work(artist=artist, edition=edition, by=artist.user, **WORK)
    with pytest.raises(ArtistsError):
        services.register_work(artist=artist, edition=edition, by=artist.user, title="Another")
    assert Work.objects.filter(artist=artist).count() == 1


def test_an_artist_who_was_not_accepted_registers_no_work(accepted, edition, refused_artist):
    with pytest.raises(ArtistsError):
        services.register_work(
            artist=refused_artist, edition=edition, by=refused_artist.user, **WORK
        )


def test_an_unreleased_acceptance_is_not_enough(edition_call, artist_profile, project_leader):
    from tests.artists.factories import decide

    decide(edition_call, {artist_profile: "accepted"}, by=project_leader, release=False)
    with pytest.raises(ArtistsError):
        services.register_work(
            artist=artist_profile, edition=edition_call.period, by=artist_profile.user, **WORK
        )


def test_no_one_registers_another_artists_work(accepted, edition):
    artist, other = accepted
    with pytest.raises(ArtistsError):
        services.register_work(artist=artist, edition=edition, by=other.user, **WORK)


def test_staff_register_for_an_artist(accepted, edition, project_leader):
    work = services.register_work(artist=accepted[0], edition=edition, by=project_leader, **WORK)
    assert work.artist == accepted[0]


def test_a_work_for_sale_needs_a_price(accepted, edition):
    artist = accepted[0]
    with pytest.raises(ValidationError) as error:
        services.register_work(
            artist=artist, edition=edition, by=artist.user, for_sale=True, **WORK
        )
    assert "price" in error.value.message_dict


def test_a_broken_image_is_refused(accepted, edition):
    from django.core.files.uploadedfile import SimpleUploadedFile

    artist = accepted[0]
    with pytest.raises(ValidationError) as error:
        services.register_work(
            artist=artist,
            edition=edition,
            by=artist.user,
            upload=SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"),
            **WORK,
        )
    assert "image" in error.value.message_dict
    assert not Work.objects.exists()


def test_only_staff_place_an_artist(accepted, edition, project_leader):
    artist = accepted[0]
    work = services.register_work(artist=artist, edition=edition, by=artist.user, **WORK)
    with pytest.raises(ArtistsError):
        services.update_work(work=work, by=artist.user, values={"project_room": "Room 12"})
    work = services.update_work(work=work, by=project_leader, values={"project_room": "Room 12"})
    assert work.project_room == "Room 12"
    work = services.update_work(work=work, by=artist.user, values={"title": "Renamed"})
    assert work.title == "Renamed"


def test_one_joint_exhibition_per_edition(joint_exhibition, edition):
    event = EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    second = Exhibition(event=event, role=Exhibition.Role.JOINT)
    with pytest.raises(ValidationError):
        second.full_clean()
    Exhibition(event=event, role=Exhibition.Role.LOCAL).full_clean()


def test_an_exhibition_is_an_event_of_the_kind_exhibition(edition):
    event = EventFactory(period=edition, kind=Event.Kind.CONCERT)
    with pytest.raises(ValidationError):
        Exhibition(event=event, role=Exhibition.Role.LOCAL).full_clean()


def test_exhibition_hours_close_after_they_open(joint_exhibition):
    from datetime import date, time

    hours = ExhibitionHours(
        exhibition=joint_exhibition, date=date(2016, 9, 10), opens=time(17), closes=time(12)
    )
    with pytest.raises(ValidationError):
        hours.full_clean()
