"""Login, logout, password change and password reset by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    UserFactory(username="kari", password="correct horse")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(reverse("login"), {"username": "kari", "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    response = client.post(reverse("login"), {"username": "kari", "password": "correct horse"})
    assert response.status_code == 302
    assert "Logg ut" in client.get("/").content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert "Logg inn" in client.get("/").content.decode()


def test_password_change_requires_login_and_works(client):
    user = UserFactory(username="ola", password="old password 1")
    assert client.get(reverse("password_change")).status_code == 302
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old password 1",
            "new_password1": "a much better one 2",
            "new_password2": "a much better one 2",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a much better one 2")


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(username="guro", email="guro@example.org")
    response = client.post(reverse("password_reset"), {"email": "guro@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "fresh secret 42", "new_password2": "fresh secret 42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh secret 42")


def test_password_reset_for_unknown_address_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "ingen@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_login_without_a_password_chooses_its_first_one_by_reset(client):
    """Guardians get a login without a password on approval, and set it here."""
    from orchestra.services.members import new_login

    user = new_login(
        username="frida@example.org", email="frida@example.org", first_name="F", last_name="B"
    )
    assert not user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "Frida@Example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "fresh secret 42", "new_password2": "fresh secret 42"})
    user.refresh_from_db()
    assert user.check_password("fresh secret 42")


def test_an_inactive_login_gets_no_reset_link(client):
    UserFactory(username="borte", email="borte@example.org", is_active=False)
    client.post(reverse("password_reset"), {"email": "borte@example.org"})
    assert mail.outbox == []
