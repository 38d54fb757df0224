"""The art round's admin: every page opens for project leaders; artists import with row errors."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from artists.models import Artist

pytestmark = pytest.mark.django_db

MODELS = [
    "discipline",
    "artist",
    "artistimage",
    "call",
    "application",
    "conflict",
    "review",
    "decision",
    "letter",
]


@pytest.mark.parametrize("model", MODELS)
def test_project_leader_opens_every_changelist(client, project_leader, call, applicant, model):
    client.force_login(project_leader)
    assert client.get(reverse(f"admin:artists_{model}_changelist")).status_code == 200
    instance = apps.get_model("artists", model).objects.first()
    if instance is not None:
        url = reverse(f"admin:artists_{model}_change", args=[instance.pk])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["juror", "artist", "venue_host", "nobody"])
def test_other_roles_do_not_reach_the_admin(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:artists_artist_changelist")).status_code == 302


def test_images_are_not_uploaded_in_the_admin(client, project_leader, applicant):
    client.force_login(project_leader)
    assert client.get(reverse("admin:artists_artistimage_add")).status_code == 403
    page = client.get(reverse("admin:artists_artist_change", args=[applicant.pk]))
    assert 'name="portrait"' not in page.content.decode()


def upload(client, content: bytes):
    return client.post(
        reverse("admin:artists_artist_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("a.csv", content)},
    )


def test_import_with_a_bad_row_names_it_and_writes_nothing(client, project_leader):
    client.force_login(project_leader)
    content = (
        b"id,name,email,phone,home_municipality,disciplines\n"
        b",Ola Maler,ola@example.org,90000001,3203,painting\n"
        b",Kari Keramiker,kari@example.org,90000002,9999,ceramics\n"
    )
    response = upload(client, content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    assert not Artist.objects.exists()

    fixed = content.replace(b",9999,", b",3201,")
    preview = upload(client, fixed)
    assert preview.context["confirm_form"] is not None
    done = client.post(
        reverse("admin:artists_artist_process_import"), preview.context["confirm_form"].initial
    )
    assert done.status_code == 302
    assert set(Artist.objects.values_list("name", flat=True)) == {"Ola Maler", "Kari Keramiker"}
    assert Artist.objects.get(name="Ola Maler").disciplines.get().slug == "painting"
