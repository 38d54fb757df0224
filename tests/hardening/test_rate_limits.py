"""Rate limits of the public forms, the redeem API and the QR visit URL: 429 with Retry-After,
counted where every app server shares the count: in Redis when REDIS_URL is set, else in a
table. Every test here runs with both."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import ratelimit
from tests.artists.factories import new_artist
from tests.factories import EventFactory
from tests.hardening.production import production_env, run, run_python
from tests.shared_cache import LOCAL_CACHES, REDIS_TEST_URL, counter_keys, use_redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["table", "redis"])
def store(request, settings):
    """Where the counters are: None for the table, else a client of the test Redis."""
    if request.param == "table":
        settings.CACHES = LOCAL_CACHES
        assert not ratelimit.counts_in_cache()
        yield None
        return
    client = use_redis_cache(settings)
    assert ratelimit.counts_in_cache()
    yield client
    client.flushdb()


ENGLISH = {django_settings.LANGUAGE_COOKIE_NAME: "en"}


def english_client(**defaults) -> Client:
    client = Client(**defaults)
    client.cookies.load(ENGLISH)
    return client


def assert_too_many(response):
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    return retry_after


@pytest.fixture
def two_an_hour(settings):
    settings.PUBLIC_FORM_POSTS_PER_HOUR = 2


def public_form_urls():
    return {
        "artist signup": lambda: reverse("artists:signup"),
        "orchestra registration": lambda: reverse("orchestra:register"),
        "event registration": lambda: reverse("ticketing:register", args=[EventFactory().pk]),
        "password reset": lambda: reverse("password_reset"),
    }


@pytest.mark.parametrize(
    "form", ["artist signup", "orchestra registration", "event registration", "password reset"]
)
def test_a_public_form_answers_429_after_the_limit(two_an_hour, form):
    url = public_form_urls()[form]()
    client = english_client()
    for _attempt in range(2):
        assert client.post(url, {}).status_code != 429
    response = client.post(url, {})
    assert_too_many(response)
    page = response.content.decode()
    assert "Too many attempts. Try again in" in page
    # Reading the form is not limited, and another address may still post.
    assert client.get(url).status_code != 429
    assert english_client(REMOTE_ADDR="10.9.9.9").post(url, {}).status_code != 429


def test_the_forms_count_apart(two_an_hour):
    client = english_client()
    signup = reverse("artists:signup")
    for _attempt in range(3):
        client.post(signup, {})
    assert client.post(reverse("orchestra:register"), {}).status_code != 429


def test_an_artists_application_is_limited_per_login(two_an_hour, artist):
    # The application pages are an artist's own (artists.policies.APPLY): a profile first.
    new_artist("Rate Begrenset", user=artist, images=0)
    url = reverse("artists:application", args=[999999])
    client = english_client()
    client.force_login(artist)
    for _attempt in range(2):
        assert client.post(url, {"action": "save"}).status_code != 429
    assert_too_many(client.post(url, {"action": "save"}))


def test_the_member_registration_api_answers_429_in_its_schema(two_an_hour, check_schema):
    from rest_framework.test import APIClient

    client = APIClient()
    client.cookies.load(ENGLISH)
    url = "/api/v1/member-registrations/"
    for _attempt in range(2):
        assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {}, format="json")
    assert_too_many(response)
    assert check_schema(response)["detail"].startswith("Too many attempts. Try again in")
    # The options stay readable.
    assert client.get(url + "options/").status_code == 200


def test_the_member_registration_api_and_form_share_one_limit(two_an_hour):
    from rest_framework.test import APIClient

    for _attempt in range(2):
        english_client().post(reverse("orchestra:register"), {})
    response = APIClient().post("/api/v1/member-registrations/", {}, format="json")
    assert response.status_code == 429


def test_the_redeem_api_answers_429_after_the_limit(settings, admin_user, check_schema):
    from rest_framework.test import APIClient

    settings.REDEEMS_PER_MINUTE = 3
    client = APIClient()
    client.force_authenticate(admin_user)
    body = {"secret": "X" * 32, "list": 999999, "nonce": "n", "type": "entry"}
    with translation.override("en"):
        for _attempt in range(3):
            assert client.post("/api/v1/checkin/redeem/", body, format="json").status_code != 429
        response = client.post("/api/v1/checkin/redeem/", body, format="json")
    assert_too_many(response)
    assert check_schema(response)["detail"]
    # Each login has its own count: another scanner is not held back.
    other = APIClient()
    other.force_authenticate(type(admin_user).objects.create_user("scanner2", password="x"))
    assert other.post("/api/v1/checkin/redeem/", body, format="json").status_code != 429


def test_the_counters_keep_no_address_or_user(store):
    retry = None
    limit = ratelimit.Limit("test", "QR_VISITS_PER_MINUTE")
    for _attempt in range(2):
        retry = ratelimit.take(limit, "203.0.113.200")
        ratelimit.take(limit, "user:4711")
    assert retry is None
    keys = counter_keys(store)
    assert len(keys) == 2
    assert not any("203.0.113" in key or "4711" in key for key in keys)


COUNT = """
import json
from core import ratelimit
limit = ratelimit.Limit("shared", "PUBLIC_FORM_POSTS_PER_HOUR", window=86400)
print(json.dumps([ratelimit.take(limit, "203.0.113.7") for _ in range(2)]))
"""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_two_processes_share_one_count(tmp_path, store):
    """Two app processes (as two gunicorn workers, or two app servers) count against one
    limit."""
    env = production_env(tmp_path, DEBUG="true", PUBLIC_FORM_POSTS_PER_HOUR="3")
    env.pop("REDIS_URL", None)
    if store is not None:
        env["REDIS_URL"] = REDIS_TEST_URL
    created = run(["manage.py", "migrate", "events", "0004"], env)
    assert created.returncode == 0, created.stderr
    first = run_python(COUNT, env)
    second = run_python(COUNT, env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert json.loads(first.stdout.strip().splitlines()[-1]) == [None, None]
    allowed, refused = json.loads(second.stdout.strip().splitlines()[-1])
    assert allowed is None
    assert isinstance(refused, int) and refused > 0
    if store is not None:
        assert len(store.keys("*ratelimit:shared:*")) == 1
