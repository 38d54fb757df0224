"""Login throttling (django-axes): repeated failed logins lock out that username from that
address, with a clear page, 429 and Retry-After."""

import logging

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return UserFactory(username="kari", password="correct horse")


def english_client(**defaults) -> Client:
    client = Client(**defaults)
    client.cookies.load({django_settings.LANGUAGE_COOKIE_NAME: "en"})
    return client


def log_in(client, password):
    return client.post(reverse("login"), {"username": "kari", "password": password})


def test_repeated_failures_lock_out_with_429_even_the_right_password(kari, caplog):
    client = english_client()
    caplog.set_level(logging.DEBUG)
    for _attempt in range(2):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    page = locked.content.decode()
    assert "Too many failed logins. Logging in is blocked for 15 minutes" in page
    assert reverse("password_reset") in page or "reset it" in page
    right = log_in(client, "correct horse")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The log tells of failed logins without the username or the address.
    assert "AXES" in caplog.text
    assert "kari" not in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_the_lock_holds_one_username_from_one_address(kari):
    client = english_client()
    for _attempt in range(3):
        log_in(client, "wrong")
    elsewhere = english_client(REMOTE_ADDR="10.1.2.3")
    assert log_in(elsewhere, "correct horse").status_code == 302
    UserFactory(username="ola", password="pass")
    other_user = client.post(reverse("login"), {"username": "ola", "password": "pass"})
    assert other_user.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(kari):
    client = english_client()
    for _attempt in range(2):
        log_in(client, "wrong")
    assert log_in(client, "correct horse").status_code == 302
    client.post(reverse("logout"))
    for _attempt in range(2):
        assert log_in(client, "wrong").status_code == 200


def test_the_admin_login_is_throttled_too(kari):
    client = english_client()
    url = reverse("admin:login")
    for _attempt in range(2):
        client.post(url, {"username": "kari", "password": "wrong"})
    assert client.post(url, {"username": "kari", "password": "wrong"}).status_code == 429


def test_code_that_logs_in_without_a_request_still_works(kari):
    """The test client's login() and a shell pass no request: no address to throttle by."""
    assert Client().login(username="kari", password="correct horse")
