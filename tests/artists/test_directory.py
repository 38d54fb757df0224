"""The public directory of an edition's accepted artists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from artists.models import Discipline
from artists.services.profiles import add_work_image, update_profile
from events.models import Municipality, Programme
from tests.artists.factories import art_round_call, decide, image_upload, new_artist
from tests.factories import PeriodFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.post(reverse("set_language"), {"language": "en"})
    return client


@pytest.fixture
def call(db):
    return art_round_call("2016")


@pytest.fixture
def accepted(call, project_leader):
    """Three accepted artists, and others who must not be listed."""
    anne = new_artist("Anne Akvarell", home="3203", disciplines=("painting",), images=2)
    bjorn = new_artist(
        "Bjørn Brenning", home="3201", studio="3301", disciplines=("ceramics",), images=1
    )
    cecilie = new_artist("Cecilie Glass", home="3301", disciplines=("glass", "painting"))
    waitlisted = new_artist("Ventende Vera", disciplines=("painting",), images=1)
    rejected = new_artist("Avvist Arne", disciplines=("painting",), images=1)
    decide(
        call,
        {
            anne: "accepted",
            bjorn: "accepted",
            cecilie: "accepted",
            waitlisted: "waitlisted",
            rejected: "rejected",
        },
        by=project_leader,
    )
    # Accepted, but not released yet: not public.
    pending = new_artist("Hemmelig Hanne", disciplines=("painting",), images=1)
    decide(call, {pending: "accepted"}, by=project_leader, release=False)
    # Accepted to another edition only.
    other = art_round_call("2018")
    elsewhere = new_artist("Annen Utgave", disciplines=("painting",), images=1)
    decide(other, {elsewhere: "accepted"}, by=project_leader)
    return {"anne": anne, "bjorn": bjorn, "cecilie": cecilie}


def directory(client, slug="2016", **params):
    return client.get(reverse("artists:directory", args=[slug]), params)


def names(response) -> list[str]:
    return [artist.name for artist in response.context["artists"]]


def test_the_directory_lists_the_released_accepted_artists_only(client, accepted):
    response = directory(client)
    assert response.status_code == 200
    assert names(response) == ["Anne Akvarell", "Bjørn Brenning", "Cecilie Glass"]
    page = response.content.decode()
    assert "Artists of Kunst rett vest 2016" in page
    for artist in accepted.values():
        assert f'href="{artist.get_absolute_url()}"' in page
    for hidden in ("Ventende Vera", "Avvist Arne", "Hemmelig Hanne", "Annen Utgave"):
        assert hidden not in page


def test_the_english_address_shows_the_same_directory(client, accepted):
    response = client.get(reverse("artists:directory_en", args=["2016"]))
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/2016/artists/"
    assert names(response) == ["Anne Akvarell", "Bjørn Brenning", "Cecilie Glass"]


def test_unknown_editions_are_not_found(client, accepted):
    assert directory(client, "1999").status_code == 404
    # An orchestra season with a matching slug is no edition of the art round.
    orchestra = ProgrammeFactory(slug="ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA)
    PeriodFactory(programme=orchestra, slug="2030-2031")
    assert directory(client, "2030-2031").status_code == 404


def test_an_edition_without_released_decisions_is_empty(client, db):
    art_round_call("2027")
    response = directory(client, "2027")
    assert response.status_code == 200
    assert names(response) == []
    assert "not been announced" in response.content.decode()


def test_filter_by_municipality_of_home_or_studio(client, accepted):
    drammen = Municipality.objects.get(number="3301")
    # Cecilie lives in Drammen; Bjørn has his studio there.
    assert names(directory(client, municipality=drammen.pk)) == ["Bjørn Brenning", "Cecilie Glass"]
    choices = list(directory(client).context["form"].fields["municipality"].queryset)
    assert [m.number for m in choices] == ["3203", "3201", "3301"]  # Asker, Bærum, Drammen


def test_filter_by_discipline_and_search_by_name(client, accepted):
    assert names(directory(client, discipline="painting")) == ["Anne Akvarell", "Cecilie Glass"]
    assert names(directory(client, discipline="ceramics")) == ["Bjørn Brenning"]
    assert names(directory(client, q="akvarell")) == ["Anne Akvarell"]
    assert names(directory(client, q="GLASS", discipline="glass")) == ["Cecilie Glass"]
    assert names(directory(client, q="ingen slik")) == []
    disciplines = directory(client).context["form"].fields["discipline"].queryset
    assert {d.slug for d in disciplines} == {"painting", "ceramics", "glass"}


def test_a_stale_filter_shows_an_error_not_a_crash(client, accepted):
    response = directory(client, municipality="999999", discipline="painting")
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert names(response) == ["Anne Akvarell", "Cecilie Glass"]


def test_cards_show_thumbnails_not_full_images(client, accepted):
    anne = accepted["anne"]
    # Her first image is made private: the directory uses her first public one.
    first, second = anne.images.order_by("position")
    update_profile(artist=anne, by=anne.user, values={"bio_nb": "x"})
    from artists.services.profiles import update_work_image

    update_work_image(image=first, by=anne.user, values={"is_public": False})
    page = directory(client).content.decode()
    assert second.thumbnail.url in page
    assert first.thumbnail.url not in page
    for image in anne.images.all():
        assert image.display.url not in page
        assert image.image.url not in page
    # Without public images, the portrait's thumbnail; without that, no image.
    cecilie = accepted["cecilie"]
    update_profile(
        artist=cecilie, by=cecilie.user, values={}, portrait=image_upload(size=(900, 900))
    )
    cecilie.refresh_from_db()
    assert cecilie.portrait_thumbnail.url in directory(client).content.decode()


def accept_many(call, count, by, prefix):
    disciplines = list(Discipline.objects.all())
    municipalities = ["3203", "3201", "3301"]
    artists = {}
    for number in range(count):
        artist = new_artist(
            f"{prefix} {number:03d}",
            home=municipalities[number % 3],
            studio=municipalities[(number + 1) % 3],
            disciplines=[disciplines[number % len(disciplines)].slug, "painting"],
        )
        add_work_image(artist=artist, by=artist.user, upload=image_upload(), title="Verk")
        artists[artist] = "accepted"
    decide(call, artists, by=by)


def queries_for(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


FILTERS = {"discipline": "painting", "q": "kunstn", "municipality": ""}


def test_the_directory_takes_the_same_queries_for_5_and_60_artists(
    client, call, project_leader, django_assert_max_num_queries
):
    accept_many(call, 5, project_leader, "Kunstner")
    few = reverse("artists:directory", args=["2016"])
    plain, filtered = queries_for(client, few), queries_for(client, few, FILTERS)
    accept_many(art_round_call("2017"), 60, project_leader, "Kunstnar")
    many = reverse("artists:directory", args=["2017"])
    with django_assert_max_num_queries(plain):
        response = client.get(many)
    assert len(response.context["artists"]) == 60
    with django_assert_max_num_queries(filtered):
        response = client.get(many, FILTERS)
    assert len(response.context["artists"]) == 60
    # Built: the edition, its change stamps, the filters' choices (their ids, then the
    # rows), the list and its disciplines.
    assert plain <= 8
