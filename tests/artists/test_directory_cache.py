# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The directory's list of artists is rendered again only when a table it is read from
changes (on PostgreSQL), and every change a visitor would see shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artists.models import Artist, Decision
from artists.selectors.profiles import DIRECTORY_TABLES, directory, with_thumbnail_urls
from artists.services.profiles import update_profile, update_work_image
from tests.artists.test_directory import (  # noqa: F401
    _english,
    accepted,
    call,
    client,
)
from tests.artists.test_directory import directory as directory_page
from tests.queries import tables_read

pytestmark = pytest.mark.django_db


def test_the_list_reads_only_the_tables_its_fingerprint_covers(accepted, call):
    with CaptureQueriesContext(connection) as queries:
        assert with_thumbnail_urls(directory(call.period))
    assert tables_read(queries.captured_queries) <= set(DIRECTORY_TABLES)


def test_an_unchanged_directory_is_not_read_again(client, accepted, is_postgres):
    with CaptureQueriesContext(connection) as first:
        directory_page(client)
    with CaptureQueriesContext(connection) as again:
        page = directory_page(client).content.decode()
    assert "Anne Akvarell" in page
    if is_postgres:
        # Not the list and its disciplines (2 queries), but the fingerprint (1).
        assert len(again.captured_queries) == len(first.captured_queries) - 2
    else:
        assert len(again.captured_queries) == len(first.captured_queries)


def test_a_renamed_artist_shows_at_once(client, accepted):
    directory_page(client)
    anne = accepted["anne"]
    update_profile(artist=anne, by=anne.user, values={"name": "Anne Olje"})
    page = directory_page(client).content.decode()
    assert "Anne Olje" in page
    assert "Anne Akvarell" not in page


def test_a_bulk_update_shows_at_once(client, accepted):
    directory_page(client)
    Artist.objects.filter(pk=accepted["bjorn"].pk).update(name="Bjørn Bulk")
    assert "Bjørn Bulk" in directory_page(client).content.decode()


def test_a_withdrawn_decision_removes_the_artist_at_once(client, accepted):
    assert "Cecilie Glass" in directory_page(client).content.decode()
    Decision.objects.filter(application__artist=accepted["cecilie"]).update(released_at=None)
    assert "Cecilie Glass" not in directory_page(client).content.decode()


def test_a_hidden_image_leaves_the_card_at_once(client, accepted):
    anne = accepted["anne"]
    first, second = anne.images.order_by("position")
    assert first.thumbnail.url in directory_page(client).content.decode()
    update_work_image(image=first, by=anne.user, values={"is_public": False})
    page = directory_page(client).content.decode()
    assert first.thumbnail.url not in page
    assert second.thumbnail.url in page


def test_filters_and_addresses_are_cached_apart(client, accepted):
    everyone = directory_page(client).content.decode()
    searched = directory_page(client, q="Bjørn").content.decode()
    assert "Anne Akvarell" in everyone
    assert "Anne Akvarell" not in searched
    assert "Bjørn Brenning" in searched
    assert "Anne Akvarell" in directory_page(client).content.decode()
