"""The demo data, loaded once for a module or a package of tests and rolled back after it."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def load_demo(*args: str) -> str:
    """Run the demo loader with these arguments and return what it printed."""
    output = StringIO()
    call_command("load_demo", *args, stdout=output)
    return output.getvalue()


@contextmanager
def demo_loaded(django_db_blocker, media_root, *args: str) -> Iterator[str]:
    """Load the demo data and yield what the loader printed; roll it all back at the end.

    Loading the demo takes seconds; tests that only read it share one load. Each test
    still runs in its own transaction (pytest-django's ``db``), nested in this one as a
    savepoint, so whatever a test writes is gone before the next test starts. Use it in a
    fixture of module or package scope that asks for ``django_db_setup`` first.
    """
    fast_and_private = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=media_root,
    )
    with fast_and_private, django_db_blocker.unblock(), transaction.atomic():
        output = load_demo("--force", *args)
        try:
            yield output
        finally:
            transaction.set_rollback(True)
