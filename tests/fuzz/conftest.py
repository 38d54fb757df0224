"""Fixtures of the fuzz tests: the demo data loaded once for the package, rolled back after it."""

import pytest
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo data once for the fuzz tests, and roll it back after the last of them.

    Each test still runs in its own transaction (pytest-django's ``db``), nested in this one
    as a savepoint, so whatever a test writes is gone before the next test starts.
    """
    fast_and_private = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("fuzz-media"),
    )
    with fast_and_private, django_db_blocker.unblock():
        seeding = transaction.atomic()
        seeding.__enter__()
        try:
            call_command("load_demo", "--force", "--quiet")
            yield
        finally:
            transaction.set_rollback(True)
            seeding.__exit__(None, None, None)


@pytest.fixture(scope="package")
def wsgi_in_test_transaction():
    """Let requests through the real WSGI handler keep the test's database connection.

    After each request Django closes a connection left out of autocommit, which a test's
    transaction is; on PostgreSQL that ended the test's transaction. Django's test client
    stops the same signal handlers for the same reason.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
