"""The artist's page for their exhibited work, studio and opening hours: /kunstner/atelier/."""

from datetime import time

import pytest
from django.urls import reverse

from artists.models import Studio, StudioHours, Work
from tests.artists.factories import image_upload, municipality

pytestmark = pytest.mark.django_db

URL = "/kunstner/atelier/"


def test_the_address():
    assert reverse("artists:own_studio") == URL


def test_anonymous_visitors_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_an_artist_not_accepted_sees_an_explanation(client, artist_profile):
    client.force_login(artist_profile.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["edition"] is None


def test_a_login_without_a_profile_is_refused(client, juror):
    client.force_login(juror)
    assert client.get(URL).status_code == 403


def test_an_accepted_artist_registers_work_studio_and_hours(client, accepted, weekends):
    artist = accepted[0]
    client.force_login(artist.user)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["hours_form"] is None  # no studio yet
    response = client.post(
        URL,
        {"part": "work", "title": "Lys", "year": "2016", "image": image_upload(), "price": ""},
    )
    assert response.status_code == 302
    assert Work.objects.get(artist=artist).thumbnail
    response = client.post(
        URL,
        {
            "part": "studio",
            "name": "Atelier",
            "address": "Strandveien 1",
            "postcode": "1384",
            "place": "Asker",
            "municipality": municipality().pk,
            "latitude": "59.83",
            "longitude": "10.43",
        },
    )
    assert response.status_code == 302
    studio = Studio.objects.get(artists=artist)
    page = client.get(URL)
    assert len(page.context["days"]) == 4
    response = client.post(
        URL,
        {
            "part": "hours",
            "opens_2016-09-17": "11:00",
            "closes_2016-09-17": "17:00",
            "opens_2016-09-18": "",
            "closes_2016-09-18": "",
        },
    )
    assert response.status_code == 302
    assert StudioHours.objects.get(studio=studio).closes == time(17)


def test_coordinates_outside_norway_are_a_form_error(client, accepted, weekends):
    client.force_login(accepted[0].user)
    response = client.post(
        URL,
        {
            "part": "studio",
            "name": "Atelier",
            "address": "Rue 1",
            "postcode": "1384",
            "place": "Paris",
            "municipality": municipality().pk,
            "latitude": "48.85",
            "longitude": "2.35",
        },
    )
    assert response.status_code == 400
    assert response.context["studio_form"].errors["latitude"]
    assert not Studio.objects.exists()


def test_closing_before_opening_is_a_form_error(client, studio, artist_profile):
    client.force_login(artist_profile.user)
    response = client.post(
        URL, {"part": "hours", "opens_2016-09-17": "17:00", "closes_2016-09-17": "11:00"}
    )
    assert response.status_code == 400
    assert response.context["hours_form"].non_field_errors()
    assert not StudioHours.objects.exists()


def test_a_second_work_is_not_made(client, accepted):
    client.force_login(accepted[0].user)
    client.post(URL, {"part": "work", "title": "Lys"})
    client.post(URL, {"part": "work", "title": "Mørke"})
    assert list(Work.objects.values_list("title", flat=True)) == ["Mørke"]


def test_another_accepted_artist_joins_a_shared_studio(client, studio, other_artist):
    client.force_login(other_artist.user)
    page = client.get(URL)
    assert list(page.context["join_form"].fields["studio"].queryset) == [studio]
    response = client.post(URL, {"part": "join", "studio": studio.pk})
    assert response.status_code == 302
    assert other_artist in studio.artists.all()
    assert client.get(URL).context["join_form"] is None


def test_the_studio_page_leads_to_counting_the_poster_and_sales(client, studio, artist_profile):
    client.force_login(artist_profile.user)
    page = client.get(URL).content.decode()
    for link in (
        reverse("artists:tally_studio", args=[studio.pk]),
        reverse("artists:poster", args=[studio.code]),
        reverse("artists:sales"),
    ):
        assert link in page
    # The poster opens for the studio's own artist, even before the number is published.
    assert client.get(reverse("artists:poster", args=[studio.code])).status_code == 200
