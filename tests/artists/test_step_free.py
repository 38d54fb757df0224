"""Step-free access of a studio: yes, no or not known; set by its artist (page, API) and by
staff (admin, API), audited, and shown to the public in the API and the GeoJSON."""

import pytest
from django.urls import reverse

from artists.exceptions import ArtistsError
from artists.models import Studio
from artists.services import studios as studio_services
from core.models import AuditEntry
from tests.artists.factories import make_studio, municipality

pytestmark = pytest.mark.django_db

OWN_STUDIO = "/kunstner/atelier/"


def studio_post(**values):
    return {
        "part": "studio",
        "name": "Atelier",
        "address": "Strandveien 1",
        "postcode": "1384",
        "place": "Asker",
        "municipality": municipality().pk,
        "latitude": "59.83",
        "longitude": "10.43",
        **values,
    }


def entries(studio, action="artists.studio.updated"):
    return list(AuditEntry.objects.filter(object_id=studio.pk, action=action))


# The model and the service ---------------------------------------------------------------


def test_a_new_studio_has_step_free_access_not_known(studio):
    assert studio.step_free is None


def test_the_artist_registers_a_step_free_studio(accepted, artist_profile, edition, weekends):
    studio = make_studio(artist_profile, edition, by=artist_profile.user, step_free=True)
    assert Studio.objects.get(pk=studio.pk).step_free is True
    (entry,) = entries(studio, "artists.studio.registered")
    assert entry.changes["step_free"] == [None, True]


@pytest.mark.parametrize("value", [True, False, None])
def test_the_artist_changes_step_free_access_with_one_audit_entry(studio, artist_profile, value):
    studio_services.update_studio_venue(
        studio=studio, by=artist_profile.user, values={"step_free": True}
    )
    studio_services.update_studio_venue(
        studio=studio, by=artist_profile.user, values={"step_free": value}
    )
    assert Studio.objects.get(pk=studio.pk).step_free is value
    changes = [entry.changes for entry in entries(studio)]
    expected = [{"step_free": [None, True]}]
    if value is not True:
        expected.append({"step_free": [True, value]})
    assert sorted(changes, key=str) == sorted(expected, key=str)
    assert {entry.actor_id for entry in entries(studio)} == {artist_profile.user.pk}


def test_an_unchanged_studio_leaves_no_entry(studio, artist_profile):
    studio_services.update_studio_venue(
        studio=studio, by=artist_profile.user, values={"step_free": None, "name": studio.venue.name}
    )
    assert entries(studio) == []


def test_venue_changes_are_audited_with_the_studio(studio, artist_profile):
    studio_services.update_studio_venue(
        studio=studio, by=artist_profile.user, values={"accessibility": "Ramp at the back."}
    )
    (entry,) = entries(studio)
    assert entry.changes == {"accessibility": ["Step-free entrance.", "Ramp at the back."]}


def test_another_artist_may_not_change_it(studio, other_artist):
    with pytest.raises(ArtistsError):
        studio_services.update_studio_venue(
            studio=studio, by=other_artist.user, values={"step_free": True}
        )
    assert Studio.objects.get(pk=studio.pk).step_free is None


# The artist's page -------------------------------------------------------------------------


@pytest.mark.parametrize(("posted", "stored"), [("True", True), ("False", False), ("", None)])
def test_the_artist_sets_it_on_their_studio_page(client, studio, artist_profile, posted, stored):
    client.force_login(artist_profile.user)
    response = client.post(OWN_STUDIO, studio_post(step_free=posted))
    assert response.status_code == 302
    assert Studio.objects.get(pk=studio.pk).step_free is stored


def test_the_page_shows_the_choice_as_radio_buttons_in_a_fieldset(client, studio, artist_profile):
    studio_services.update_studio_venue(
        studio=studio, by=artist_profile.user, values={"step_free": False}
    )
    client.force_login(artist_profile.user)
    html = client.get(OWN_STUDIO).content.decode()
    assert (
        "<legend>Step-free access</legend>" in html or "<legend>Trinnfri adkomst</legend>" in html
    )
    assert 'type="radio" name="step_free" value="False"' in html
    checked = html.split('name="step_free" value="False"')[1].split(">")[0]
    assert "checked" in checked


def test_a_bad_value_is_a_field_error(client, studio, artist_profile):
    client.force_login(artist_profile.user)
    Studio.objects.filter(pk=studio.pk).update(step_free=False)
    response = client.post(OWN_STUDIO, studio_post(step_free="maybe"))
    assert response.status_code == 400
    assert response.context["studio_form"].errors["step_free"]
    assert Studio.objects.get(pk=studio.pk).step_free is False


# The API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["artist_profile", "project_leader"])
def test_the_artist_and_staff_set_it_through_the_api(
    api_as, check_schema, request, published_studio, role
):
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)
    client = api_as(user)
    url = f"/api/v1/studios/{published_studio.pk}/"
    body = check_schema(client.patch(url, {"step_free": True}, format="json"))
    assert body["step_free"] is True
    body = check_schema(client.patch(url, {"step_free": None}, format="json"))
    assert body["step_free"] is None
    assert [entry.actor_id for entry in entries(published_studio)] == [user.pk, user.pk]


def test_others_may_not_set_it_through_the_api(api_as, published_studio, other_artist):
    response = api_as(other_artist.user).patch(
        f"/api/v1/studios/{published_studio.pk}/", {"step_free": True}, format="json"
    )
    assert response.status_code == 403
    assert Studio.objects.get(pk=published_studio.pk).step_free is None


def test_a_bad_value_is_a_400_with_the_field(api_as, published_studio, artist_profile):
    response = api_as(artist_profile.user).patch(
        f"/api/v1/studios/{published_studio.pk}/", {"step_free": "maybe"}, format="json"
    )
    assert response.status_code == 400
    assert "step_free" in response.json()


def test_the_public_reads_it_in_the_list_and_the_geojson(api_as, check_schema, published_studio):
    Studio.objects.filter(pk=published_studio.pk).update(step_free=True)
    client = api_as(None)
    body = check_schema(client.get("/api/v1/studios/", {"edition": published_studio.edition_id}))
    results = body["results"] if isinstance(body, dict) else body
    assert results[0]["step_free"] is True
    geojson = check_schema(
        client.get("/api/v1/studios/geojson/", {"edition": published_studio.edition_id})
    )
    assert geojson["features"][0]["properties"]["step_free"] is True


# The admin -----------------------------------------------------------------------------------


def test_staff_set_it_in_the_admin_with_an_audit_entry(client, admin_user, published_studio):
    client.force_login(admin_user)
    url = reverse("admin:artists_studio_change", args=[published_studio.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("artists",)
    }
    data.update(
        {
            "edition": published_studio.edition_id,
            "venue": published_studio.venue_id,
            "artists": [artist.pk for artist in published_studio.artists.all()],
            "number": published_studio.number,
            "is_published": "on",
            "step_free": "true",
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Studio.objects.get(pk=published_studio.pk).step_free is True
    (entry,) = entries(published_studio)
    assert entry.changes["step_free"] == [None, True]
    assert entry.changes["via"] == "admin"
    listing = client.get(reverse("admin:artists_studio_changelist"), {"step_free__exact": "1"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [published_studio]
