"""Artist sign-up with email confirmation, and linking imported earlier participants."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from artists.models import Artist
from artists.services.profiles import create_artist, signup_tokens
from core.roles import Role, has_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


User = get_user_model()

FORM = {
    "name": "Mari Maler",
    "email": "Mari@Example.org",
    "password1": "lys over fjorden 7",
    "password2": "lys over fjorden 7",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """A browser that reads the site in English, to match the messages below."""
    client.post(reverse("set_language"), {"language": "en"})
    return client


def sign_up(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("artists:signup"), {**FORM, **changes})


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", message.body).group(1)


def test_sign_up_sends_a_link_and_the_account_waits_for_it(
    client, django_capture_on_commit_callbacks
):
    assert client.get(reverse("artists:signup")).status_code == 200
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("artists:signup_done")
    user = User.objects.get(email="Mari@example.org")
    assert user.username == "mari@example.org"
    assert not user.is_active
    assert not has_role(user, Role.ARTIST)
    assert not Artist.objects.exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Mari@example.org"]
    assert "Confirm" in mail.outbox[0].subject
    # Inactive until the link is followed: the password alone does not open it.
    login = client.post(
        reverse("login"), {"username": "mari@example.org", "password": FORM["password1"]}
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in client.session


def test_following_the_link_opens_the_account_with_the_artist_role_and_a_profile(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_path(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("artists:profile")
    user = User.objects.get(email="Mari@example.org")
    assert user.is_active
    assert has_role(user, Role.ARTIST)
    artist = Artist.objects.get(user=user)
    assert artist.name == "Mari Maler"
    assert artist.email == "Mari@example.org"
    assert artist.slug == "mari-maler"
    assert artist.language == "en"  # the language the link was followed in
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("artists:profile")).status_code == 200
    # The link works once.
    client.logout()  # which forgets every cookie, the language too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again = client.get(link)
    assert again.status_code == 400
    assert "not valid" in again.content.decode()
    assert Artist.objects.count() == 1
    # Django's login works with the email address as username.
    assert client.login(username="mari@example.org", password=FORM["password1"])


def test_an_imported_artist_with_the_same_email_is_linked_not_duplicated(
    client, django_capture_on_commit_callbacks, project_leader
):
    imported = create_artist(name="Mari M. Maler", email="mari@EXAMPLE.org", by=project_leader)
    sign_up(client, django_capture_on_commit_callbacks)
    client.get(confirmation_path(mail.outbox[0]))
    imported.refresh_from_db()
    assert imported.user.email == "Mari@example.org"
    assert imported.name == "Mari M. Maler"  # the profile on file is kept
    assert Artist.objects.count() == 1


def test_an_artist_with_a_login_already_is_not_taken_over(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(username="other-login", email="someone@example.org")
    taken = create_artist(name="Tatt", email="mari@example.org", user=owner, by=None)
    sign_up(client, django_capture_on_commit_callbacks)
    client.get(confirmation_path(mail.outbox[0]))
    taken.refresh_from_db()
    assert taken.user == owner
    assert Artist.objects.count() == 2


def test_signing_up_again_sends_a_new_link_and_the_old_one_stops_working(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(
        client,
        django_capture_on_commit_callbacks,
        password1="nytt passord 88",
        password2="nytt passord 88",
    )
    assert User.objects.count() == 1
    assert len(mail.outbox) == 2
    old, new = confirmation_path(mail.outbox[0]), confirmation_path(mail.outbox[1])
    assert client.get(old).status_code == 400
    assert client.get(new).status_code == 302
    assert User.objects.get().check_password("nytt passord 88")


def test_an_address_with_an_account_gets_a_reminder_and_the_page_does_not_tell(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(username="mari", email="mari@example.org", password="gammelt 1")
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("artists:signup_done")
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.check_password("gammelt 1")
    assert len(mail.outbox) == 1
    assert "already have an account" in mail.outbox[0].subject
    assert "/accounts/password_reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password2": "something else 9"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"password1": "password", "password2": "password"}, "password1"),
        ({"email": "not an address"}, "email"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_makes_no_account_and_sends_nothing(
    client, django_capture_on_commit_callbacks, changes, field
):
    response = sign_up(client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/MQ/bad-token/",
        "/accounts/signup/!!!/x/",
        "/accounts/signup/OTk5OTk/abc-123/",
    ],
)
def test_broken_links_are_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_a_password_reset_token_does_not_confirm_an_account(client):
    user = UserFactory(username="mari@example.org", email="mari@example.org", is_active=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(
        reverse("artists:signup_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active
    # And the other way round: a sign-up token does not reset a password.
    assert not default_token_generator.check_token(user, signup_tokens.make_token(user))


def test_a_logged_in_user_is_sent_to_their_profile_or_home(client, artist, artist_profile, juror):
    client.force_login(artist)
    response = client.get(reverse("artists:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("artists:profile")
    client.force_login(juror)
    assert client.get(reverse("artists:signup"))["Location"] == reverse("events:home")
