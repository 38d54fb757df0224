"""The permission matrix's world: built once per module, inside a transaction rolled back
at the end; each test runs in its own savepoint as usual."""

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.permissions.world import ROLES, build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("permissions-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """Build the world once for the module; roll it back when the module is done."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=world_media, PASSWORD_HASHERS=FAST_HASHERS, EMAIL_BACKEND=LOCMEM_EMAIL
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
                if built.users[role] is not None:
                    client.force_login(built.users[role])
                built.clients[role] = client
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_media(settings, world_media):
    """Serve the world's uploads in every test (the root conftest moves MEDIA_ROOT)."""
    settings.MEDIA_ROOT = world_media
