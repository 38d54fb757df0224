# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The directory's list of artists is rendered again only when a write bumps one of its
change stamps (artists.stamps), and every change a visitor would see shows at once:
through a service, the admin, an import or a bulk write."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artists.models import Artist, Decision
from artists.resources import ArtistResource
from artists.selectors.profiles import directory, with_thumbnail_urls
from artists.services.profiles import move_work_image, update_profile, update_work_image
from events.models import Event
from tests.artists.factories import new_artist
from tests.artists.test_directory import (  # noqa: F401
    _english,
    accepted,
    call,
    client,
)
from tests.artists.test_directory import directory as directory_page
from tests.factories import EventFactory
from tests.orchestra.factories import instrument
from tests.queries import tables_read, tables_with_stamps
from tests.staff_writes import post_change_form, reimported

pytestmark = pytest.mark.django_db


def listing_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = directory_page(client).content.decode()
    # The language form's token changes with every page.
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)
    return page, queries.captured_queries


def test_the_list_reads_only_tables_whose_writes_bump_stamps(accepted, call):
    with CaptureQueriesContext(connection) as queries:
        assert with_thumbnail_urls(directory(call.period))
    assert tables_read(queries.captured_queries) <= tables_with_stamps()


def test_an_unchanged_directory_is_not_read_again(client, accepted):
    first, first_queries = listing_queries(client)
    again, again_queries = listing_queries(client)
    assert again == first
    assert "Anne Akvarell" in again
    # The edition, its stamps (one query), and the filters' choices by their ids: not the
    # list, its disciplines and the choices' search among the edition's artists.
    edition, stamps, municipalities, disciplines = again_queries
    assert tables_read([stamps]) == {"core_changestamp"}
    assert tables_read([municipalities, disciplines]) == {
        "events_municipality",
        "artists_discipline",
    }
    assert len(first_queries) == 8


def test_a_renamed_artist_shows_at_once(client, accepted):
    directory_page(client)
    anne = accepted["anne"]
    update_profile(artist=anne, by=anne.user, values={"name": "Anne Olje"})
    page = directory_page(client).content.decode()
    assert "Anne Olje" in page
    assert "Anne Akvarell" not in page


def test_an_artist_renamed_in_the_admin_shows_at_once(client, accepted, admin_user):
    directory_page(client)
    client.force_login(admin_user)
    post_change_form(
        client,
        reverse("admin:artists_artist_change", args=[accepted["bjorn"].pk]),
        {"name": "Bjørn Admin"},
    )
    client.logout()
    assert "Bjørn Admin" in directory_page(client).content.decode()


def test_an_artist_renamed_by_an_import_shows_at_once(client, accepted):
    directory_page(client)
    reimported(
        ArtistResource(), Artist.objects.filter(pk=accepted["bjorn"].pk), name="Bjørn Import"
    )
    assert "Bjørn Import" in directory_page(client).content.decode()


def test_a_withdrawn_decision_removes_the_artist_at_once(client, accepted):
    assert "Cecilie Glass" in directory_page(client).content.decode()
    decision = Decision.objects.get(application__artist=accepted["cecilie"])
    decision.released_at = None
    decision.save()
    assert "Cecilie Glass" not in directory_page(client).content.decode()


def test_a_hidden_image_leaves_the_card_at_once(client, accepted):
    anne = accepted["anne"]
    first, second = anne.images.order_by("position")
    assert first.thumbnail.url in directory_page(client).content.decode()
    update_work_image(image=first, by=anne.user, values={"is_public": False})
    page = directory_page(client).content.decode()
    assert first.thumbnail.url not in page
    assert second.thumbnail.url in page


def test_a_gallery_reordered_in_bulk_shows_its_new_first_image_at_once(client, accepted):
    """move_work_image() writes with bulk_update, which sends no signal: it bumps itself."""
    anne = accepted["anne"]
    first, second = anne.images.order_by("position")
    page = directory_page(client).content.decode()
    assert first.thumbnail.url in page and second.thumbnail.url not in page
    move_work_image(image=second, by=anne.user, position=0)
    page = directory_page(client).content.decode()
    assert second.thumbnail.url in page and first.thumbnail.url not in page


def test_filters_and_addresses_are_cached_apart(client, accepted):
    everyone = directory_page(client).content.decode()
    searched = directory_page(client, q="Bjørn").content.decode()
    assert "Anne Akvarell" in everyone
    assert "Anne Akvarell" not in searched
    assert "Bjørn Brenning" in searched
    assert "Anne Akvarell" in directory_page(client).content.decode()


def assert_not_rebuilt(client, change):
    directory_page(client)
    first, first_queries = listing_queries(client)
    change()
    again, again_queries = listing_queries(client)
    assert again == first
    assert len(first_queries) == 4  # cached: see test_an_unchanged_directory_is_not_read_again
    assert len(again_queries) == 4


def test_writes_the_directory_does_not_show_do_not_rebuild_it(client, accepted):
    def change():
        # An artist who applied to no edition, an event, an orchestra's instrument.
        newcomer = new_artist("Nina Ny", disciplines=("painting",))
        update_profile(artist=newcomer, by=newcomer.user, values={"name": "Nina Nyere"})
        event = EventFactory(title_nb="Vårkonsert", venue=None)
        event.title_nb = "Sommerkonsert"
        event.save()
        Event.objects.get(pk=event.pk).delete()
        instrument("Harp")

    assert_not_rebuilt(client, change)
