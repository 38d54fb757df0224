"""Shared fixtures: one named user for every role, and one who may see nothing."""

import json

import pytest
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from rest_framework.test import APIClient

from core.roles import Role
from tests.factories import UserFactory
from tests.shared_cache import (
    REDIS_CACHES,
    REDIS_TEST_URL,
    counter_store,  # noqa: F401 -- a fixture for every test module
)

# smtp (a real SMTP server on 127.0.0.1) and twilio (the local fake SMS provider).
pytest_plugins = ["tests.reach_fixtures"]


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``postgres`` unless the suite runs on PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    """Hash test passwords cheaply, and keep uploads out of the working tree."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _email_and_cache(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if settings.CACHES["default"]["BACKEND"] == REDIS_CACHES["default"]["BACKEND"]:
        # Run with REDIS_URL set, the tests cache in Redis, but in their own database: they
        # empty it around every test (Django's RedisCache.clear() empties the database).
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": REDIS_TEST_URL}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def admin_user(db):
    """The secretariat: a staff superuser."""
    return UserFactory(username="secretariat", is_staff=True, is_superuser=True)


@pytest.fixture
def project_leader(db):
    return UserFactory(username="leader", is_staff=True, roles=[Role.PROJECT_LEADER])


@pytest.fixture
def juror(db):
    return UserFactory(username="juror", roles=[Role.JUROR])


@pytest.fixture
def artist(db):
    return UserFactory(username="artist", roles=[Role.ARTIST])


@pytest.fixture
def venue_host(db):
    return UserFactory(username="host", roles=[Role.VENUE_HOST])


@pytest.fixture
def guardian(db):
    return UserFactory(username="guardian", roles=[Role.GUARDIAN])


@pytest.fixture
def tutor(db):
    return UserFactory(username="tutor", roles=[Role.TUTOR])


@pytest.fixture
def nobody(db):
    """A logged-in user with no role at all: may see only what is public."""
    return UserFactory(username="nobody")


ROLE_FIXTURES = [
    "admin_user",
    "project_leader",
    "juror",
    "artist",
    "venue_host",
    "guardian",
    "tutor",
    "nobody",
]


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """Return an API client authenticated as the given user (None: anonymous)."""

    def login(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return login


# Checking answers against the schema ---------------------------------------


@pytest.fixture(scope="session")
def openapi():
    """Return the API's own OpenAPI document, ready to check answers against."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenAPI.from_dict(json.loads(OpenApiJsonRenderer().render(schema)))


@pytest.fixture
def check_schema(openapi):
    """Return a function that asserts an answer matches the schema, and returns its JSON."""

    def check(response):
        request = response.wsgi_request
        openapi.validate_response(
            MockRequest(
                "http://testserver",
                request.method,
                request.path,
                args=request.GET,
            ),
            MockResponse(
                response.content,
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
            ),
        )
        return response.json() if response.content else None

    return check


@pytest.fixture
def webhook_receiver(settings):
    """Start real webhook receivers on 127.0.0.1 (tests/webhooks.py), which the
    deliveries may reach; stop them after the test."""
    from tests.webhooks import Receiver

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    started = []

    def start(statuses=(), then=200):
        receiver = Receiver(statuses, then)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()
