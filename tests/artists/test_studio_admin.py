"""The admin of exhibitions, works and studios: lists open, staff number and publish studios."""

import pytest
from django.urls import reverse

from artists.models import Studio
from tests.artists.factories import make_studio

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["exhibition", "work", "studio"])
def test_the_lists_and_add_pages_open(client, admin_user, joint_exhibition, studio, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:artists_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:artists_{model}_add")).status_code == 200


def test_staff_publish_numbers_and_later_studios_come_after(
    client, admin_user, studio, other_artist, edition
):
    client.force_login(admin_user)
    url = reverse("admin:artists_studio_changelist")
    client.post(url, {"action": "publish_editions", "_selected_action": [studio.pk]})
    studio.refresh_from_db()
    assert (studio.number, studio.is_published) == (1, True)
    later = make_studio(other_artist, edition, by=other_artist.user, name="Aaa")
    client.post(url, {"action": "number_editions", "_selected_action": [later.pk]})
    assert list(Studio.objects.order_by("number").values_list("pk", "number")) == [
        (studio.pk, 1),
        (later.pk, 2),
    ]
