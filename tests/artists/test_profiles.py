"""The artist's own profile and gallery, the preview, and the public artist page."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from artists.exceptions import ArtistsError
from artists.models import Artist, ArtistImage
from artists.services.applications import start_application, update_application
from artists.services.profiles import (
    add_work_image,
    create_artist,
    delete_work_image,
    move_work_image,
    update_profile,
)
from events.models import Municipality
from tests.artists.factories import GPS_IFD, art_round_call, gps_exif, image_upload, new_artist

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


def profile_form(artist, **changes) -> dict:
    data = {
        "name": artist.name,
        "disciplines": [d.pk for d in artist.disciplines.all()],
        "home_municipality": artist.home_municipality_id or "",
        "studio_municipality": artist.studio_municipality_id or "",
        "bio_nb": artist.bio_nb,
        "bio_en": artist.bio_en,
        "statement_nb": artist.statement_nb,
        "statement_en": artist.statement_en,
        "website": artist.website,
        "instagram": artist.instagram,
        "email": artist.email,
        "phone": artist.phone,
        "language": artist.language,
    }
    data.update(changes)
    return data


def stored_files(settings) -> set[str]:
    media = settings.MEDIA_ROOT
    return {str(path) for path in media.rglob("*") if path.is_file()} if media.exists() else set()


# Who may reach the own pages --------------------------------------------------------------

OWN_PAGES = ["artists:profile", "artists:gallery", "artists:profile_preview"]


@pytest.mark.parametrize("name", OWN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["juror", "nobody", "project_leader", "venue_host"])
@pytest.mark.parametrize("name", OWN_PAGES)
def test_logins_without_an_artist_profile_are_refused(client, request, role, name):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", OWN_PAGES)
def test_the_artist_reaches_their_own_pages(client, artist, artist_profile, name):
    client.force_login(artist)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "artists/artists.css" in response.content.decode()
    assert 'name="viewport"' in response.content.decode()


# Editing the profile --------------------------------------------------------------------


def test_the_artist_edits_their_profile(client, artist, artist_profile):
    client.force_login(artist)
    drammen = Municipality.objects.get(number="3301")
    response = client.post(
        reverse("artists:profile"),
        profile_form(
            artist_profile,
            name="Mari Maler Berg",
            disciplines=[],
            studio_municipality=drammen.pk,
            bio_nb="Maler lys.",
            bio_en="Paints light.",
            website="www.mari.example",
            instagram="@mari.maler",
            phone="+47 900 00 000",
        ),
    )
    assert response.status_code == 302
    artist_profile.refresh_from_db()
    assert artist_profile.name == "Mari Maler Berg"
    assert artist_profile.slug == "mari-maler"  # the address stays
    assert artist_profile.studio_municipality == drammen
    assert artist_profile.website == "https://www.mari.example"
    assert artist_profile.instagram == "mari.maler"
    assert artist_profile.phone == "+47 900 00 000"
    assert not artist_profile.disciplines.exists()


def test_only_municipalities_valid_today_can_be_chosen(client, artist, artist_profile):
    client.force_login(artist)
    old_asker = Municipality.objects.get(number="0220")  # merged in 2020
    page = client.get(reverse("artists:profile")).content.decode()
    assert f'<option value="{old_asker.pk}"' not in page
    response = client.post(
        reverse("artists:profile"), profile_form(artist_profile, home_municipality=old_asker.pk)
    )
    assert response.status_code == 400
    assert "home_municipality" in response.context["form"].errors
    artist_profile.refresh_from_db()
    assert artist_profile.home_municipality.number == "3203"


def test_the_service_refuses_a_former_municipality_but_keeps_one_already_set(
    artist, artist_profile, project_leader
):
    old_asker = Municipality.objects.get(number="0220")
    with pytest.raises(ValidationError) as error:
        update_profile(artist=artist_profile, by=artist, values={"studio_municipality": old_asker})
    assert "studio_municipality" in error.value.error_dict
    # Staff may set one (an earlier participant), and the artist keeps it when saving.
    update_profile(
        artist=artist_profile, by=project_leader, values={"home_municipality": old_asker}
    )
    update_profile(
        artist=artist_profile,
        by=artist,
        values={"home_municipality": old_asker, "bio_nb": "Ny tekst"},
    )
    artist_profile.refresh_from_db()
    assert artist_profile.home_municipality == old_asker
    assert artist_profile.bio_nb == "Ny tekst"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"instagram": "not a handle!"}, "instagram"),
        ({"website": "not a web site"}, "website"),
        ({"email": "nope"}, "email"),
        ({"bio_nb": "x" * 2001}, "bio_nb"),
    ],
)
def test_bad_input_changes_nothing(client, artist, artist_profile, changes, field):
    client.force_login(artist)
    before = Artist.objects.filter(pk=artist_profile.pk).values().get()
    response = client.post(reverse("artists:profile"), profile_form(artist_profile, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Artist.objects.filter(pk=artist_profile.pk).values().get() == before


def test_only_staff_change_whether_an_artist_is_professional(artist, artist_profile, admin_user):
    with pytest.raises(ArtistsError):
        update_profile(artist=artist_profile, by=artist, values={"is_professional": False})
    update_profile(artist=artist_profile, by=admin_user, values={"is_professional": False})
    artist_profile.refresh_from_db()
    assert artist_profile.is_professional is False


@pytest.mark.parametrize("role", ["juror", "nobody", "venue_host"])
def test_only_the_artist_and_staff_may_change_a_profile(
    request, role, artist_profile, other_artist
):
    for outsider in (request.getfixturevalue(role), other_artist.user):
        with pytest.raises(ArtistsError):
            update_profile(artist=artist_profile, by=outsider, values={"name": "Kapret"})
    artist_profile.refresh_from_db()
    assert artist_profile.name == "Mari Maler"


def test_the_portrait_is_stored_small_and_without_gps_and_can_be_removed(
    client, artist, artist_profile, settings, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    upload = image_upload(name="meg.jpg", size=(2400, 3000), exif=gps_exif())
    response = client.post(
        reverse("artists:profile"), profile_form(artist_profile, portrait=upload)
    )
    assert response.status_code == 302
    artist_profile.refresh_from_db()
    with artist_profile.portrait.open("rb") as stored:
        portrait = Image.open(io.BytesIO(stored.read()))
    assert max(portrait.size) == 1600
    assert GPS_IFD not in portrait.getexif()
    with artist_profile.portrait_thumbnail.open("rb") as stored:
        assert max(Image.open(io.BytesIO(stored.read())).size) == 400
    files = {artist_profile.portrait.path, artist_profile.portrait_thumbnail.path}
    assert files <= stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("artists:profile"), profile_form(artist_profile, remove_portrait="on")
        )
    assert response.status_code == 302
    artist_profile.refresh_from_db()
    assert not artist_profile.portrait
    assert not files & stored_files(settings)


def test_a_refused_portrait_changes_nothing(client, artist, artist_profile, settings):
    client.force_login(artist)
    before = stored_files(settings)
    fake = SimpleUploadedFile("meg.jpg", b"GIF89a but not really", "image/jpeg")
    response = client.post(
        reverse("artists:profile"),
        profile_form(artist_profile, name="Nytt navn", portrait=fake),
    )
    assert response.status_code == 400
    assert "not an image" in str(response.context["form"].errors["portrait"])
    artist_profile.refresh_from_db()
    assert artist_profile.name == "Mari Maler"
    assert not artist_profile.portrait
    assert stored_files(settings) == before


# The gallery ----------------------------------------------------------------------------


def test_the_artist_uploads_edits_orders_and_deletes_work_images(
    client, artist, artist_profile, settings, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    response = client.post(
        reverse("artists:gallery"),
        {
            "image": image_upload(name="IMG_0001.JPG", size=(2000, 1500)),
            "title": "Fjord",
            "year": "2024",
            "technique": "Olje på lerret",
            "dimensions": "60 × 80 cm",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    image = artist_profile.images.get(title="Fjord")
    assert image.position == 3  # at the end
    assert (image.width, image.height) == (2000, 1500)
    assert "IMG_0001" not in image.image.name  # no filename reaches anyone

    response = client.post(
        reverse("artists:gallery_image", args=[image.pk]),
        {"title": "Fjorden", "year": "2023", "technique": "", "dimensions": ""},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.title, image.year, image.is_public) == ("Fjorden", 2023, False)

    response = client.post(
        reverse("artists:gallery_image_move", args=[image.pk]), {"position": "0"}
    )
    assert response.status_code == 302
    titles = list(artist_profile.images.order_by("position").values_list("title", flat=True))
    assert titles == ["Fjorden", "Verk 1", "Verk 2", "Skisse"]
    assert list(artist_profile.images.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
    ]

    assert client.get(reverse("artists:gallery_image_delete", args=[image.pk])).status_code == 200
    files = {image.image.path, image.display.path, image.thumbnail.path}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("artists:gallery_image_delete", args=[image.pk]))
    assert response.status_code == 302
    assert not ArtistImage.objects.filter(pk=image.pk).exists()
    assert not files & stored_files(settings)


def test_a_refused_work_image_is_reported_on_the_form_and_stores_nothing(
    client, artist, artist_profile, settings
):
    client.force_login(artist)
    before, count = stored_files(settings), artist_profile.images.count()
    response = client.post(
        reverse("artists:gallery"),
        {"image": SimpleUploadedFile("work.jpg", b"hello", "image/jpeg"), "title": "Tekst"},
    )
    assert response.status_code == 400
    assert "not an image" in str(response.context["form"].errors["image"])
    assert artist_profile.images.count() == count
    assert stored_files(settings) == before


def test_a_work_image_needs_a_title_and_a_sensible_year(client, artist, artist_profile):
    client.force_login(artist)
    response = client.post(
        reverse("artists:gallery"), {"image": image_upload(), "title": "", "year": "1200"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "year"}
    assert artist_profile.images.count() == 3


def test_another_artists_images_are_out_of_reach(client, artist, artist_profile, other_artist):
    foreign = other_artist.images.get()
    client.force_login(artist)
    for name in ("artists:gallery_image", "artists:gallery_image_delete"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.post(reverse(name, args=[foreign.pk]), {"title": "Kapret"}).status_code == 404
    response = client.post(
        reverse("artists:gallery_image_move", args=[foreign.pk]), {"position": "0"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Verk 1"
    with pytest.raises(ArtistsError):
        delete_work_image(image=foreign, by=artist)
    with pytest.raises(ArtistsError):
        add_work_image(artist=other_artist, by=artist, upload=image_upload(), title="Inn")
    assert other_artist.images.count() == 1


def test_an_image_in_an_application_cannot_be_deleted(client, artist, artist_profile):
    call = art_round_call("2027")
    application = start_application(call=call, artist=artist_profile, by=None)
    chosen = artist_profile.images.order_by("position").first()
    update_application(
        application=application,
        statement="",
        cv="",
        previous_exhibitions="",
        images=[chosen],
        by=None,
    )
    client.force_login(artist)
    response = client.post(reverse("artists:gallery_image_delete", args=[chosen.pk]), follow=True)
    assert "part of an application" in response.content.decode()
    assert ArtistImage.objects.filter(pk=chosen.pk).exists()


def test_moving_past_the_end_puts_the_image_last(artist, artist_profile):
    first = artist_profile.images.order_by("position").first()
    move_work_image(image=first, by=artist, position=99)
    assert artist_profile.images.order_by("position").last() == first


def test_staff_change_any_gallery_through_the_services(artist_profile, project_leader):
    image = add_work_image(
        artist=artist_profile, by=project_leader, upload=image_upload(), title="Fra staben"
    )
    delete_work_image(image=image, by=project_leader)
    assert artist_profile.images.count() == 3


# The public page and the preview ----------------------------------------------------------


def test_the_public_page_shows_the_profile_and_only_public_images(client, artist_profile):
    update_profile(
        artist=artist_profile,
        by=artist_profile.user,
        values={
            "bio_nb": "Maler lys over fjorden.",
            "statement_nb": "Om lyset.",
            "website": "https://mari.example",
            "instagram": "mari.maler",
            "phone": "+47 912 34 567",
            "studio_municipality": Municipality.objects.get(number="3301"),
        },
    )
    response = client.get(reverse("artists:artist_detail", args=["mari-maler"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Mari Maler",
        "Painting",
        "Drawing",
        "Asker",
        "Drammen",
        "Maler lys over fjorden.",
    ):
        assert text in page
    assert 'href="https://mari.example"' in page
    assert "https://www.instagram.com/mari.maler/" in page
    # Thumbnails link to the display size; the private image and the originals stay out.
    for image in artist_profile.images.filter(is_public=True):
        assert f'href="{image.display.url}"><img src="{image.thumbnail.url}"' in page
        assert image.image.url not in page
    private = artist_profile.images.get(is_public=False)
    assert private.thumbnail.url not in page
    assert "Skisse" not in page
    # Never the private contact details.
    assert "artist@example.org" not in page
    assert "912 34 567" not in page


def test_the_public_page_reads_in_english_with_a_norwegian_fallback(client, artist_profile):
    update_profile(
        artist=artist_profile,
        by=artist_profile.user,
        values={"bio_nb": "Norsk bio.", "bio_en": "English bio.", "statement_nb": "Norsk tekst."},
    )
    url = artist_profile.get_absolute_url()
    english = client.get(url).content.decode()
    assert "English bio." in english and "Norsk bio." not in english
    assert "Norsk tekst." in english  # no English statement: the Norwegian one
    client.post(reverse("set_language"), {"language": "nb"})
    norwegian = client.get(url).content.decode()
    assert "Norsk bio." in norwegian and "English bio." not in norwegian


def test_an_unknown_artist_is_not_found(client, db):
    assert client.get(reverse("artists:artist_detail", args=["ingen"])).status_code == 404


def test_the_preview_shows_the_page_as_visitors_see_it(client, artist, artist_profile):
    update_profile(artist=artist_profile, by=artist, values={"phone": "+47 912 34 567"})
    client.force_login(artist)
    page = client.get(reverse("artists:profile_preview")).content.decode()
    assert "Preview" in page
    assert "Skisse" not in page
    assert "912 34 567" not in page
    assert "artist@example.org" not in page


def test_the_public_page_takes_constant_queries(client, django_assert_max_num_queries, artist):
    profile = new_artist("Mange Bilder", user=artist, images=12, disciplines=("glass", "wood"))
    with django_assert_max_num_queries(6):
        assert client.get(profile.get_absolute_url()).status_code == 200


def test_slugs_are_unique_and_readable(project_leader):
    first = create_artist(name="Åse Ødegård", by=project_leader)
    second = create_artist(name="Åse Ødegård", by=project_leader)
    assert first.slug == "ase-odegard"
    assert second.slug == "ase-odegard-2"
