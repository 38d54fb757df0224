"""The demo loader on an empty database: nothing before it runs, and not on a public site."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from tests.demo import load_demo

pytestmark = pytest.mark.django_db


def test_migrations_create_no_users():
    assert not get_user_model().objects.exists()


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not get_user_model().objects.exists()
    load_demo("--force", "--quiet")
    assert get_user_model().objects.filter(username="sekretariat").exists()
