"""The API of artists' profiles and work images, for every role, checked against its schema."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from artists.models import Artist, ArtistImage
from artists.services.applications import start_application, update_application
from events.models import Municipality
from tests.artists.factories import art_round_call, gps_exif, image_upload, new_artist

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(api_as):
    """API clients that read the answers in English, to match the messages below."""

    def login(user):
        client = api_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


ROLES = ["anonymous", "nobody", "juror", "artist", "other_artist", "project_leader", "admin_user"]
STAFF = ["project_leader", "admin_user"]
PRIVATE = {"email", "phone", "language", "is_professional"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def user_for(request, artist_profile, other_artist):
    def get(role):
        if role == "anonymous":
            return None
        if role == "other_artist":
            return other_artist.user
        return request.getfixturevalue(role)

    return get


@pytest.fixture
def client_for(api_as, user_for):
    return lambda role: api_as(user_for(role))


def detail(artist) -> str:
    return f"/api/v1/artists/{artist.pk}/"


# Reading profiles -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_public_profiles_and_only_staff_the_private_fields_in_lists(
    client_for, role, check_schema, artist_profile
):
    body = check_schema(client_for(role).get("/api/v1/artists/"))
    assert body["count"] == 2
    mari = next(item for item in body["results"] if item["id"] == artist_profile.pk)
    assert mari["name"] == "Mari Maler"
    assert mari["disciplines"] == ["painting", "drawing"]
    assert mari["home_municipality"]["number"] == "3203"
    assert mari["url"].endswith("/kunstnere/mari-maler/")
    if role in STAFF:
        assert mari["email"] == "artist@example.org"
    else:
        assert not PRIVATE & set(mari)


@pytest.mark.parametrize("role", ROLES)
def test_private_fields_of_one_profile_for_the_artist_themself_and_staff(
    client_for, role, check_schema, artist_profile
):
    body = check_schema(client_for(role).get(detail(artist_profile)))
    if role in ("artist", *STAFF):
        assert body["email"] == "artist@example.org"
        assert body["phone"] == ""
        assert body["is_professional"] is True
    else:
        assert not PRIVATE & set(body)


def test_me_is_the_own_profile(api_as, artist, artist_profile, juror, check_schema):
    body = check_schema(api_as(artist).get("/api/v1/artists/me/"))
    assert body["id"] == artist_profile.pk
    assert body["email"] == "artist@example.org"
    assert api_as(juror).get("/api/v1/artists/me/").status_code == 403
    assert api_as(None).get("/api/v1/artists/me/").status_code in (401, 403)


def test_filters_by_discipline_municipality_and_name(api_as, artist_profile, other_artist):
    client = api_as(None)

    def names(**params):
        body = client.get("/api/v1/artists/", params).json()
        return [item["name"] for item in body["results"]]

    asker = Municipality.objects.get(number="3203")
    assert names(discipline="ceramics") == ["Kari Keramiker"]
    assert names(discipline="painting") == ["Mari Maler"]
    assert names(municipality=asker.pk) == ["Kari Keramiker", "Mari Maler"]
    assert names(name="MARI") == ["Mari Maler"]
    assert client.get("/api/v1/artists/", {"discipline": "origami"}).status_code == 400


def test_filter_by_accepted_edition(api_as, artist_profile, other_artist, project_leader):
    from tests.artists.factories import decide

    call = art_round_call("2016")
    decide(call, {artist_profile: "accepted", other_artist: "rejected"}, by=project_leader)
    body = api_as(None).get("/api/v1/artists/", {"accepted_in": call.period_id}).json()
    assert [item["name"] for item in body["results"]] == ["Mari Maler"]


# Changing profiles ----------------------------------------------------------------------


def test_the_artist_changes_their_own_profile(api_as, artist, artist_profile, check_schema):
    drammen = Municipality.objects.get(number="3301")
    response = api_as(artist).patch(
        detail(artist_profile),
        {
            "bio_en": "Paints light.",
            "studio_municipality": drammen.pk,
            "disciplines": ["glass"],
            "instagram": "@mari",
            "phone": "+47 912 34 567",
        },
    )
    body = check_schema(response)
    assert response.status_code == 200
    assert body["bio_en"] == "Paints light."
    assert body["studio_municipality"]["number"] == "3301"
    assert body["disciplines"] == ["glass"]
    assert body["instagram"] == "mari"
    assert body["phone"] == "+47 912 34 567"
    artist_profile.refresh_from_db()
    assert artist_profile.name == "Mari Maler"  # not sent: unchanged


@pytest.mark.parametrize("role", ["anonymous", "nobody", "juror", "other_artist"])
def test_no_one_else_changes_a_profile(client_for, role, artist_profile):
    response = client_for(role).patch(detail(artist_profile), {"name": "Kapret"})
    assert response.status_code in (401, 403)
    put = client_for(role).put(detail(artist_profile), {"name": "Kapret"})
    assert put.status_code in (401, 403)
    artist_profile.refresh_from_db()
    assert artist_profile.name == "Mari Maler"


@pytest.mark.parametrize("role", STAFF)
def test_staff_change_any_profile_and_whether_it_is_professional(
    client_for, role, artist_profile, check_schema
):
    old_asker = Municipality.objects.get(number="0220")
    response = client_for(role).patch(
        detail(artist_profile), {"is_professional": False, "home_municipality": old_asker.pk}
    )
    assert check_schema(response)["is_professional"] is False
    artist_profile.refresh_from_db()
    assert artist_profile.home_municipality == old_asker


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"studio_municipality": "FORMER"}, "studio_municipality"),
        ({"instagram": "not valid!"}, "instagram"),
        ({"website": "not a site"}, "website"),
        ({"email": "nope"}, "email"),
        ({"disciplines": ["origami"]}, "disciplines"),
        ({"name": ""}, "name"),
        ({"bio_nb": "x" * 2001}, "bio_nb"),
    ],
)
def test_bad_input_is_a_400_on_its_field_and_changes_nothing(
    api_as, artist, artist_profile, check_schema, payload, field
):
    if payload.get("studio_municipality") == "FORMER":
        payload = {"studio_municipality": Municipality.objects.get(number="0220").pk}
    before = Artist.objects.filter(pk=artist_profile.pk).values().get()
    response = api_as(artist).patch(detail(artist_profile), payload)
    assert response.status_code == 400
    assert field in check_schema(response)
    assert Artist.objects.filter(pk=artist_profile.pk).values().get() == before


def test_an_artist_may_not_make_themself_professional(api_as, artist, artist_profile):
    response = api_as(artist).patch(detail(artist_profile), {"is_professional": False})
    assert response.status_code == 400
    assert "organisers" in response.json()["detail"]


def test_only_staff_add_artists(api_as, artist, artist_profile, project_leader, check_schema):
    payload = {"name": "Ny Kunstner", "email": "ny@example.org", "disciplines": ["wood"]}
    assert api_as(artist).post("/api/v1/artists/", payload).status_code == 403
    assert api_as(None).post("/api/v1/artists/", payload).status_code in (401, 403)
    response = api_as(project_leader).post("/api/v1/artists/", payload)
    assert response.status_code == 201
    body = check_schema(response)
    assert body["slug"] == "ny-kunstner"
    assert body["disciplines"] == ["wood"]
    assert Artist.objects.get(slug="ny-kunstner").user is None


def test_the_portrait_goes_through_the_image_checks(api_as, artist, artist_profile, check_schema):
    url = f"{detail(artist_profile)}portrait/"
    client = api_as(artist)
    fake = SimpleUploadedFile("meg.jpg", b"not an image", "image/jpeg")
    refused = client.post(url, {"portrait": fake}, format="multipart")
    assert refused.status_code == 400
    assert "portrait" in check_schema(refused)
    response = client.post(
        url, {"portrait": image_upload(size=(2000, 2000), exif=gps_exif())}, format="multipart"
    )
    body = check_schema(response)
    assert body["portrait_thumbnail_url"].startswith("http://testserver/media/artists/")
    removed = check_schema(client.delete(url))
    assert removed["portrait_url"] is None
    other = api_as(new_artist("Tredje", images=0).user)
    assert other.post(url, {"portrait": image_upload()}, format="multipart").status_code == 403


# Work images ----------------------------------------------------------------------------


def visible_titles(client, **params) -> set[str]:
    body = client.get("/api/v1/artist-images/", params).json()
    return {(item["artist"], item["title"]) for item in body["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_images(client_for, role, artist_profile, other_artist, check_schema):
    client = client_for(role)
    body = check_schema(client.get("/api/v1/artist-images/"))
    seen = {(item["artist"], item["title"]) for item in body["results"]}
    public = {
        (artist_profile.pk, "Verk 1"),
        (artist_profile.pk, "Verk 2"),
        (other_artist.pk, "Verk 1"),
    }
    private = (artist_profile.pk, "Skisse")
    if role in ("artist", *STAFF):
        assert seen == public | {private}
    else:
        assert seen == public
    first = body["results"][0]
    assert first["thumbnail_url"].startswith("http://testserver/media/artists/")
    assert first["display_url"].endswith(".webp")


def test_the_artist_uploads_a_work_image(api_as, artist, artist_profile, check_schema):
    response = api_as(artist).post(
        "/api/v1/artist-images/",
        {
            "image": image_upload(fmt="PNG", size=(1800, 1200)),
            "title": "Ny",
            "year": 2025,
            "is_public": False,
        },
        format="multipart",
    )
    assert response.status_code == 201
    body = check_schema(response)
    assert body["artist"] == artist_profile.pk
    assert (body["width"], body["height"]) == (1800, 1200)
    assert body["position"] == 3
    assert body["is_public"] is False


@pytest.mark.parametrize(
    "upload, code",
    [
        (
            SimpleUploadedFile("work.jpg", b"plain text, not a picture", "image/jpeg"),
            "not an image",
        ),
        (SimpleUploadedFile("work.gif", b"GIF89a" + b"\0" * 40, "image/gif"), "not an image"),
    ],
)
def test_a_refused_upload_is_a_400_and_stores_nothing(
    api_as, artist, artist_profile, check_schema, upload, code, settings
):
    count = ArtistImage.objects.count()
    files = {path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()}
    response = api_as(artist).post(
        "/api/v1/artist-images/", {"image": upload, "title": "Falsk"}, format="multipart"
    )
    assert response.status_code == 400
    assert code in check_schema(response)["image"][0]
    assert ArtistImage.objects.count() == count
    assert {path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()} == files


def test_uploads_need_a_profile_or_staff_naming_the_artist(
    api_as, juror, project_leader, artist, artist_profile, other_artist
):
    for user in (None, juror):
        payload = {"image": image_upload(), "title": "Inn"}
        response = api_as(user).post("/api/v1/artist-images/", payload, format="multipart")
        assert response.status_code in (401, 403)
    nobody_named = {"image": image_upload(), "title": "Hvem?"}
    response = api_as(project_leader).post(
        "/api/v1/artist-images/", nobody_named, format="multipart"
    )
    assert response.status_code == 400
    assert "artist" in response.json()
    sneaky = {"image": image_upload(), "title": "Inn", "artist": other_artist.pk}
    response = api_as(artist).post("/api/v1/artist-images/", sneaky, format="multipart")
    assert response.status_code == 403
    assert other_artist.images.count() == 1
    staff = {"image": image_upload(), "title": "Fra staben", "artist": other_artist.pk}
    response = api_as(project_leader).post("/api/v1/artist-images/", staff, format="multipart")
    assert response.status_code == 201
    assert other_artist.images.count() == 2


def test_the_artist_describes_orders_and_deletes_own_images(
    api_as, artist, artist_profile, check_schema, django_capture_on_commit_callbacks
):
    client = api_as(artist)
    last = artist_profile.images.get(title="Skisse")
    response = client.patch(
        f"/api/v1/artist-images/{last.pk}/", {"title": "Skisse i kull", "position": 0}
    )
    body = check_schema(response)
    assert (body["title"], body["position"]) == ("Skisse i kull", 0)
    order = list(artist_profile.images.order_by("position").values_list("title", flat=True))
    assert order == ["Skisse i kull", "Verk 1", "Verk 2"]
    bad = client.patch(f"/api/v1/artist-images/{last.pk}/", {"year": 1200})
    assert bad.status_code == 400
    assert "year" in check_schema(bad)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/artist-images/{last.pk}/").status_code == 204
    assert not ArtistImage.objects.filter(pk=last.pk).exists()


def test_a_multipart_body_with_no_readable_field_is_a_400_and_changes_nothing(
    api_as, artist, artist_profile
):
    image = artist_profile.images.get(title="Skisse")
    boundary = "kulturvest-test"
    body = f'--{boundary}\r\n[[], {{"a": null}}]--{boundary}--\r\n'
    response = api_as(artist).generic(
        "PATCH",
        f"/api/v1/artist-images/{image.pk}/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    image.refresh_from_db()
    assert image.title == "Skisse"
    # A real multipart change still goes through.
    changed = api_as(artist).patch(
        f"/api/v1/artist-images/{image.pk}/", {"title": "Skisse i blyant"}, format="multipart"
    )
    assert changed.status_code == 200
    assert changed.json()["title"] == "Skisse i blyant"


@pytest.mark.parametrize("role", ["anonymous", "nobody", "juror", "other_artist"])
def test_no_one_else_changes_or_deletes_an_image(client_for, role, artist_profile):
    public = artist_profile.images.get(title="Verk 1")
    private = artist_profile.images.get(title="Skisse")
    client = client_for(role)
    for image, refused in ((public, (401, 403)), (private, (401, 403, 404))):
        url = f"/api/v1/artist-images/{image.pk}/"
        assert client.patch(url, {"title": "Kapret"}).status_code in refused
        assert client.delete(url).status_code in refused
    titles = set(artist_profile.images.values_list("title", flat=True))
    assert titles == {"Verk 1", "Verk 2", "Skisse"}


def test_an_image_in_an_application_is_not_deleted(api_as, artist, artist_profile, check_schema):
    chosen = artist_profile.images.get(title="Verk 1")
    application = start_application(call=art_round_call("2027"), artist=artist_profile, by=None)
    update_application(
        application=application,
        statement="",
        cv="",
        previous_exhibitions="",
        images=[chosen],
        by=None,
    )
    response = api_as(artist).delete(f"/api/v1/artist-images/{chosen.pk}/")
    assert response.status_code == 400
    assert "application" in check_schema(response)["detail"]
    assert ArtistImage.objects.filter(pk=chosen.pk).exists()


# Query counts ---------------------------------------------------------------------------


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/api/v1/artists/", "/api/v1/artist-images/"])
@pytest.mark.parametrize("role", ["anonymous", "artist", "admin_user"])
def test_list_endpoints_take_constant_queries(
    client_for, role, path, django_assert_max_num_queries
):
    client = client_for(role)
    few = count_queries(client, path)
    for number in range(25):
        new_artist(f"Flere {number}", disciplines=("painting", "glass"), images=2)
    with django_assert_max_num_queries(few):
        response = client.get(path, {"page_size": 100})
    assert response.json()["count"] >= 25
