"""The public exhibition pages, the printable catalogue and the staff's wall labels."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from artists.models import Exhibition
from artists.services import exhibitions as work_services
from artists.services import studios as studio_services
from events.models import Event
from tests.artists.factories import (
    ExhibitionFactory,
    ExhibitionHoursFactory,
    WorkFactory,
    art_round_call,
    decide,
    municipality,
    new_artist,
)
from tests.factories import EventFactory, VenueFactory, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(accepted, artist_profile, other_artist, edition):
    """Mari Maler's painting for sale, and Kari Keramiker's bowl, not for sale."""
    return [
        work_services.register_work(
            artist=artist_profile,
            edition=edition,
            by=artist_profile.user,
            title="Lys over fjorden",
            year=2016,
            technique="Olje på lerret",
            dimensions="60 × 80 cm",
            for_sale=True,
            price=12500,
        ),
        work_services.register_work(
            artist=other_artist,
            edition=edition,
            by=other_artist.user,
            title="Skål",
            year=2015,
            technique="Steingods",
            dimensions="Ø 30 cm",
        ),
    ]


@pytest.fixture
def local_exhibition(edition):
    event = EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Fengslet",
        venue=VenueFactory(name="Fengslet", municipality=municipality("3305")),
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    exhibition = ExhibitionFactory(event=event, role=Exhibition.Role.LOCAL)
    exhibition.organising_municipalities.set([municipality("3305"), municipality("3310")])
    ExhibitionHoursFactory(
        exhibition=exhibition, date=date(2016, 9, 11), opens=time(12), closes=time(16)
    )
    return exhibition


def page(client, name, edition, *args):
    response = client.get(reverse(f"artists:{name}", args=[edition.slug, *args]))
    assert response.status_code == 200
    return response.content.decode()


# Exhibitions ------------------------------------------------------------------------------


def test_the_exhibitions_of_an_edition(client, edition, joint_exhibition, local_exhibition):
    ExhibitionHoursFactory(
        exhibition=joint_exhibition, date=date(2016, 9, 10), opens=time(12), closes=time(17)
    )
    html = page(client, "exhibitions", edition)
    assert html.index("Fellesutstilling på Lien") < html.index("Fengslet")
    assert "Asker" in html  # the host municipality
    assert "Ringerike" in html and "Hole" in html  # the organisers
    assert "12.00–17.00" in html and "12.00–16.00" in html
    assert reverse("artists:exhibition", args=[edition.slug, local_exhibition.pk]) in html


def test_an_exhibition_for_staff_only_is_not_listed(client, edition, joint_exhibition):
    Event.objects.filter(pk=joint_exhibition.event_id).update(visibility=Event.Visibility.STAFF)
    assert "Lien" not in page(client, "exhibitions", edition)
    url = reverse("artists:exhibition", args=[edition.slug, joint_exhibition.pk])
    assert client.get(url).status_code == 404


def test_unknown_editions_are_404(client, joint_exhibition):
    for name in ("exhibitions", "catalogue", "studio_map", "studio_favourites"):
        assert client.get(reverse(f"artists:{name}", args=["1999"])).status_code == 404
    url = reverse("artists:exhibition", args=["1999", joint_exhibition.pk])
    assert client.get(url).status_code == 404


def test_the_joint_exhibition_shows_the_works_of_accepted_artists(
    client, edition, joint_exhibition, works, artist_profile, refused_artist, project_leader
):
    work_services.update_work(
        work=works[1],
        by=project_leader,
        values={"project_room": "Rom 14", "shared_venue": joint_exhibition.event.venue},
    )
    html = page(client, "exhibition", edition, joint_exhibition.pk)
    for text in ("Lys over fjorden", "2016", "Olje på lerret", "60 × 80 cm", "Skål", "Steingods"):
        assert text in html
    assert artist_profile.get_absolute_url() in html
    assert "12 500" in html or "12\xa0500" in html or "12,500" in html
    assert "Not for sale" in html or "Ikke til salgs" in html
    assert "Rom 14" in html
    assert f'href="{joint_exhibition.event.get_absolute_url()}"' in html
    assert refused_artist.name not in html


def test_a_local_exhibition_shows_the_works_placed_at_its_venue(
    client, edition, local_exhibition, works, project_leader
):
    assert "Lys over fjorden" not in page(client, "exhibition", edition, local_exhibition.pk)
    work_services.update_work(
        work=works[0], by=project_leader, values={"shared_venue": local_exhibition.event.venue}
    )
    html = page(client, "exhibition", edition, local_exhibition.pk)
    assert "Lys over fjorden" in html and "Skål" not in html


def test_an_exhibition_of_another_edition_is_404(client, edition, joint_exhibition):
    later = art_round_call("2017").period
    url = reverse("artists:exhibition", args=[later.slug, joint_exhibition.pk])
    assert client.get(url).status_code == 404


# The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_lists_works_by_artist_with_qr_codes(client, edition, works, artist_profile):
    response = client.get(reverse("artists:catalogue", args=[edition.slug]))
    html = response.content.decode()
    assert html.index("Kari Keramiker") < html.index("Mari Maler")
    assert html.count('<svg class="qr"') == 2
    assert "<?xml" not in html
    assert f"http://testserver{artist_profile.get_absolute_url()}" in html
    assert "size: A4" in (
        open_static("artists/print.css")  # the page links the print stylesheet
    )
    assert "artists/print.css" in html


def open_static(name: str) -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find(name), encoding="utf-8") as file:
        return file.read()


@pytest.mark.parametrize(
    "role",
    [None, "admin_user", "project_leader", "juror", "artist", "venue_host", "guardian", "tutor"],
)
def test_everyone_reads_the_catalogue_and_exhibitions(
    client, request, role, edition, works, joint_exhibition
):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    assert "Lys over fjorden" in page(client, "catalogue", edition)
    assert "Lys over fjorden" in page(client, "exhibition", edition, joint_exhibition.pk)


def test_the_catalogue_leaves_out_refused_artists(client, edition, works, refused_artist):
    WorkFactory(artist=refused_artist, edition=edition, title="Avvist verk")
    assert "Avvist verk" not in page(client, "catalogue", edition)


# Wall labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("admin_user", 200),
        ("project_leader", 200),
        ("juror", 403),
        ("artist", 403),
        ("venue_host", 403),
        ("guardian", 403),
        ("tutor", 403),
        ("nobody", 403),
    ],
)
def test_only_staff_print_wall_labels(client, request, role, status, edition, works):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("artists:wall_labels", args=[edition.slug]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_a_label_per_work_with_its_studio_number(
    client, project_leader, edition, works, studio, weekends
):
    studio_services.publish_studio_numbers(edition=edition)
    studio.refresh_from_db()
    client.force_login(project_leader)
    html = page(client, "wall_labels", edition)
    labels = re.findall(r'<article class="wall-label" id="label-(\d+)">(.*?)</article>', html, re.S)
    assert [int(pk) for pk, _text in labels] == [works[1].pk, works[0].pk]
    kari, mari = (text for _pk, text in labels)
    assert "Skål" in kari and "Steingods" in kari and ("Not for sale" in kari or "Ikke" in kari)
    assert f"{studio.number}" in mari and "12" in mari and "60 × 80 cm" in mari
    assert "studio" not in kari.lower() and "atelier" not in kari.lower()
    assert kari.count('<svg class="qr"') == 1
    assert 'id="qr-path"' not in html


def test_an_unpublished_studio_is_not_on_the_labels(client, project_leader, edition, works, studio):
    client.force_login(project_leader)
    html = page(client, "wall_labels", edition)
    assert "atelier nr" not in html.lower() and "open studio no" not in html.lower()


# Constant queries ------------------------------------------------------------------------------


def many_works(call, count: int, by) -> None:
    edition = call.period
    artists = [new_artist(f"Kunstner {edition.slug} {n:02}") for n in range(count)]
    decide(call, dict.fromkeys(artists, "accepted"), by=by)
    for n, artist in enumerate(artists):
        work_services.register_work(
            artist=artist,
            edition=edition,
            by=by,
            title=f"Verk {n}",
            for_sale=n % 2 == 0,
            price=1000 * n if n % 2 == 0 else None,
        )


def many_exhibitions(edition, count: int) -> None:
    for n in range(count):
        event = EventFactory(
            period=edition,
            kind=Event.Kind.EXHIBITION,
            title_nb=f"Lokal {n}",
            venue=VenueFactory(name=f"Sal {n}", municipality=municipality("3201")),
            start=oslo(2016, 9, 10, 12),
            end=oslo(2016, 9, 25, 17),
        )
        exhibition = ExhibitionFactory(event=event, role=Exhibition.Role.LOCAL)
        exhibition.organising_municipalities.set([municipality("3201")])
        ExhibitionHoursFactory(
            exhibition=exhibition, date=date(2016, 9, 11), opens=time(12), closes=time(16)
        )


@pytest.mark.parametrize("name", ["catalogue", "wall_labels", "exhibition", "exhibitions"])
def test_the_same_queries_for_3_and_30_rows(
    client, project_leader, name, django_assert_max_num_queries
):
    client.force_login(project_leader)
    counts = []
    for slug, rows in (("2016", 3), ("2017", 30)):
        call = art_round_call(slug)
        edition = call.period
        many_works(call, rows, project_leader)
        many_exhibitions(edition, rows)
        joint = EventFactory(
            period=edition,
            kind=Event.Kind.EXHIBITION,
            title_nb=f"Felles {slug}",
            start=oslo(2016, 9, 10, 12),
            end=oslo(2016, 9, 25, 17),
        )
        exhibition = ExhibitionFactory(event=joint, role=Exhibition.Role.JOINT)
        args = [edition.slug] + ([exhibition.pk] if name == "exhibition" else [])
        url = reverse(f"artists:{name}", args=args)
        if rows == 3:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context.captured_queries))
        else:
            with django_assert_max_num_queries(counts[0]):
                response = client.get(url)
            assert response.status_code == 200
            assert "Kunstner 2017 29" in response.content.decode() or name == "exhibitions"
    assert counts[0] <= 12
