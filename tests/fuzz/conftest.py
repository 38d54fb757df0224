"""Fixtures of the fuzz tests: the demo data loaded once for the package, rolled back after it."""

import pytest
from django.core import signals
from django.db import close_old_connections

from tests.demo import demo_loaded


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo data once for the fuzz tests, and roll it back after the last of them."""
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("fuzz-media"), "--quiet"):
        yield


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
