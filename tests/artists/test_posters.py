"""QR posters: who prints them, what they show, and the QR code that opens the short URL."""

# The QR visit tests' fixtures are imported after the shared ones, so that theirs win if a
# name is ever shared; pytest passes them in by name.
# ruff: noqa: F811, I001

import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw

from artists.models import QrVisit
from tests.artists.test_qr_visits import (  # noqa: F401
    add_open_studios,
    other_studio,
    published,
    work,
)

ROLES = [
    "admin_user",
    "project_leader",
    "juror",
    "artist",
    "other_artist",
    "venue_host",
    "other_host",
    "guardian",
    "tutor",
    "nobody",
    "anonymous",
]


def login_as(client, request, role):
    if role == "anonymous":
        return
    user = request.getfixturevalue(role)
    client.force_login(user.user if role == "other_artist" else user)


def poster_url(place, size=None) -> str:
    url = reverse("artists:poster", args=[place.code])
    return f"{url}?size={size}" if size else url


def decode_svg_qr(page: str) -> list:
    """Rasterise the first inline QR SVG of a page and return what zxing reads in it."""
    svg = re.search(r"<svg[^>]*class=\"poster-qr\".*?</svg>", page, re.DOTALL).group(0)
    modules = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 8
    image = Image.new("L", (modules * scale, modules * scale), 255)
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", svg):
        draw.rectangle(
            [int(left) * scale, int(top) * scale, int(right) * scale - 1, int(bottom) * scale - 1],
            fill=0,
        )
    return zxingcpp.read_barcodes(image)


# Who prints ------------------------------------------------------------------------------

STUDIO_POSTER = {
    "admin_user": 200,
    "project_leader": 200,
    "artist": 200,  # the studio's own artist
    "other_artist": 403,  # hosts another studio
    "juror": 403,
    "venue_host": 403,  # hosts the exhibition, not this studio
    "other_host": 403,
    "guardian": 403,
    "tutor": 403,
    "nobody": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_prints_a_studios_poster(
    client, published, other_studio, exhibition_open, role, request
):
    login_as(client, request, role)
    for size in (None, "a3"):
        response = client.get(poster_url(published, size))
        assert response.status_code == STUDIO_POSTER[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin_user", 200), ("artist", 200), ("other_artist", 404), ("nobody", 404)],
)
def test_an_unpublished_studios_poster_is_not_found_by_others(
    client, open_studio, other_artist, role, status, request
):
    login_as(client, request, role)
    assert client.get(poster_url(open_studio)).status_code == status


EXHIBITION_POSTER = {
    **dict.fromkeys(ROLES, 403),
    "admin_user": 200,
    "project_leader": 200,
    "venue_host": 200,  # a host of the exhibition's event
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_prints_an_exhibitions_poster(client, exhibition_open, other_studio, role, request):
    login_as(client, request, role)
    assert client.get(poster_url(exhibition_open)).status_code == EXHIBITION_POSTER[role]


STAFF_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "admin_user": 200,
    "project_leader": 200,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_the_list_of_posters_and_print_them_all(
    client,
    open_studio,
    other_studio,
    exhibition_open,
    edition,
    role,
    request,
):
    login_as(client, request, role)
    for name in ("artists:posters", "artists:posters_print_all"):
        response = client.get(reverse(name, args=[edition.slug]))
        assert response.status_code == STAFF_ONLY[role]


def test_an_unknown_code_or_edition_is_404(client, admin_user, edition):
    client.force_login(admin_user)
    assert client.get("/plakat/zzzzzz/").status_code == 404
    assert client.get(reverse("artists:posters", args=["1999"])).status_code == 404


def test_printing_a_poster_counts_no_visit(client, open_studio, artist):
    client.force_login(artist)
    client.get(poster_url(open_studio))
    assert QrVisit.objects.count() == 0


# What a poster shows ---------------------------------------------------------------------


def test_a_studio_poster_shows_the_number_name_artists_hours_and_short_url(
    client,
    published,
    artist_profile,
    admin_user,
):
    client.force_login(admin_user)
    response = client.get(poster_url(published))
    page = response.content.decode()
    short_url = f"http://testserver/v/{published.code}/"
    assert f'<p class="poster-number">{published.number}</p>' in page
    assert "Atelier Maler" in page
    assert "Mari Maler" in page
    assert "11.00–17.00" in page
    assert f"testserver/v/{published.code}/" in page
    with translation.override("nb"):
        assert gettext("Scan and see the artists here") in page
    assert "artists/poster-a4.css" in page and "artists/poster-a3.css" not in page
    codes = decode_svg_qr(page)
    assert [code.text for code in codes] == [short_url]
    assert str(codes[0].ec_level) in {"M", "Q", "H"}


def test_the_a3_poster_uses_the_a3_page(client, published, admin_user):
    client.force_login(admin_user)
    page = client.get(poster_url(published, "a3")).content.decode()
    assert "artists/poster-a3.css" in page and "artists/poster-a4.css" not in page
    assert [code.text for code in decode_svg_qr(page)] == [f"http://testserver/v/{published.code}/"]


def test_the_poster_css_sets_the_printed_page(client):
    from django.contrib.staticfiles import finders

    for size, name in (("A4", "poster-a4.css"), ("A3", "poster-a3.css")):
        with open(finders.find(f"artists/{name}"), encoding="utf-8") as css:
            assert f"@page {{ size: {size} portrait" in css.read()


def test_the_poster_is_in_norwegian_for_an_english_speaking_organiser(
    client,
    published,
    admin_user,
):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    page = client.get(poster_url(published)).content.decode()
    assert '<html lang="nb">' in page


def test_an_exhibition_poster_shows_the_event_and_its_artists(
    client,
    exhibition_open,
    work,
    venue_host,
):
    client.force_login(venue_host)
    page = client.get(poster_url(exhibition_open)).content.decode()
    assert "Fellesutstilling på Lien" in page
    assert "Mari Maler" in page
    assert "12.00–17.00" in page
    assert [code.text for code in decode_svg_qr(page)] == [
        f"http://testserver/v/{exhibition_open.code}/"
    ]


def test_the_list_has_exhibitions_then_studios_by_number(
    client,
    published,
    other_studio,
    exhibition_open,
    edition,
    admin_user,
):
    client.force_login(admin_user)
    response = client.get(reverse("artists:posters", args=[edition.slug]))
    places = [poster.place for poster in response.context["posters"]]
    assert places == [exhibition_open, published, other_studio]
    page = response.content.decode()
    assert poster_url(published, "a3") in page
    assert reverse("artists:posters_print_all", args=[edition.slug]) in page


def test_print_all_has_one_poster_per_place(
    client,
    published,
    other_studio,
    exhibition_open,
    edition,
    admin_user,
):
    client.force_login(admin_user)
    url = reverse("artists:posters_print_all", args=[edition.slug])
    page = client.get(f"{url}?size=a3").content.decode()
    assert page.count('<section class="poster ') == 3
    assert page.count('class="poster-qr"') == 3
    assert "artists/poster-a3.css" in page


# Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("name", ["artists:posters", "artists:posters_print_all"])
def test_the_poster_pages_take_constant_queries(
    client,
    exhibition_open,
    published,
    edition_call,
    project_leader,
    count,
    name,
    django_assert_max_num_queries,
):
    add_open_studios(edition_call, count, by=project_leader)
    client.force_login(project_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name, args=[edition_call.period.slug]))
    assert response.status_code == 200
    assert len(response.context["posters" if name == "artists:posters" else "printed"]) == (
        count + 2
    )
