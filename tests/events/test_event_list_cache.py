"""The event list's form and page of events are rendered again only when a write bumps
one of their change stamps (events.stamps), and every change a visitor would see shows at
once: through a service, the admin, an import; unrelated writes do not rebuild them."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artists.services.profiles import update_profile
from events.models import Event, Municipality, Venue
from events.resources import EventResource, VenueResource
from events.services import cancel_event
from tests.artists.factories import new_artist
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, VenueFactory
from tests.queries import tables_read, tables_with_stamps
from tests.staff_writes import post_change_form, reimported
from tests.ticketing.factories import OfferFactory, register_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    today = timezone.localdate()
    return PeriodFactory(
        programme=ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest"),
        start=today,
        end=today + timedelta(days=300),
    )


@pytest.fixture
def concert(period):
    return EventFactory(
        period=period,
        title_nb="Vårkonsert",
        title_en="Spring concert",
        venue=VenueFactory(name="Kulturhuset"),
    )


def event_list(client, **params):
    response = client.get(reverse("events:event_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def test_the_list_reads_only_tables_whose_writes_bump_stamps(client, concert):
    every_filter = {
        "programme": "kunst-rett-vest",
        "period": concert.period.pk,
        "kind": Event.Kind.CONCERT,
        "municipality": concert.venue.municipality.pk,
        "venue": concert.venue.pk,
        "date_to": "2100-01-01",
        "status": Event.Status.SCHEDULED,
    }
    with CaptureQueriesContext(connection) as queries:
        assert "Vårkonsert" in event_list(client, **every_filter)
    assert tables_read(queries.captured_queries) - {"core_changestamp"} <= tables_with_stamps()


def test_an_unchanged_list_is_not_read_again(client, concert):
    with CaptureQueriesContext(connection) as first:
        first_page = event_list(client)
    with CaptureQueriesContext(connection) as again:
        page = event_list(client)
    assert without_csrf_tokens(page) == without_csrf_tokens(first_page)
    assert "Vårkonsert" in page
    # Only the stamps: not the count, the page and the form's three selects.
    assert len(first.captured_queries) == 6
    assert len(again.captured_queries) == 1
    assert tables_read(again.captured_queries) == {"core_changestamp"}


def test_unrelated_writes_do_not_rebuild_the_list(client, concert, project_leader):
    first = event_list(client)
    # An artist's profile, a ticket registration (the list shows no places left).
    artist = new_artist("Anne Akvarell")
    update_profile(artist=artist, by=artist.user, values={"name": "Anne Olje"})
    offer = OfferFactory(event=concert, name_nb="Inngang")
    register_one(offer)
    with CaptureQueriesContext(connection) as again:
        page = event_list(client)
    assert without_csrf_tokens(page) == without_csrf_tokens(first)
    assert tables_read(again.captured_queries) == {"core_changestamp"}


def test_the_query_count_does_not_grow_with_the_events(
    client, period, project_leader, django_assert_max_num_queries
):
    client.force_login(project_leader)
    EventFactory.create_batch(3, period=period, visibility=Event.Visibility.STAFF)
    with django_assert_max_num_queries(14) as few:
        event_list(client, programme="kunst-rett-vest")
    EventFactory.create_batch(60, period=period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = event_list(client, programme="kunst-rett-vest")
    assert page.count('class="event-row') == 50
    assert "1 av 2" in page


def test_a_changed_event_shows_at_once(client, concert):
    event_list(client)
    concert.title_nb = "Høstkonsert"
    concert.save()
    page = event_list(client)
    assert "Høstkonsert" in page
    assert "Vårkonsert" not in page


def test_a_cancelled_event_says_so_at_once(client, concert):
    assert "is-cancelled" not in event_list(client)
    cancel_event(event=concert)
    assert "is-cancelled" in event_list(client)


def test_an_event_edited_in_the_admin_shows_at_once(client, concert, admin_user):
    event_list(client)
    client.force_login(admin_user)
    post_change_form(
        client,
        reverse("admin:events_event_change", args=[concert.pk]),
        {"title_nb": "Adminkonsert"},
    )
    client.logout()
    assert "Adminkonsert" in event_list(client)


def test_an_imported_event_and_venue_show_at_once(client, concert):
    event_list(client)
    reimported(EventResource(), Event.objects.filter(pk=concert.pk), title_nb="Importkonsert")
    assert "Importkonsert" in event_list(client)
    reimported(VenueResource(), Venue.objects.filter(pk=concert.venue_id), name="Importhuset")
    assert "Importhuset," in event_list(client)


def test_a_new_and_a_deleted_event_show_at_once(client, concert, period):
    event_list(client)
    concert.title_nb = "Sommerkonsert"
    concert.save()
    assert "Sommerkonsert" in event_list(client)
    EventFactory(period=period, title_nb="Ekstrakonsert")
    assert "Ekstrakonsert" in event_list(client)
    concert.delete()
    assert "Sommerkonsert" not in event_list(client)


def test_a_renamed_venue_and_municipality_show_at_once(client, concert):
    event_list(client)
    venue = Venue.objects.get(pk=concert.venue_id)
    venue.name = "Konserthuset"
    venue.save()
    assert "Konserthuset," in event_list(client)
    municipality = Municipality.objects.get(pk=venue.municipality_id)
    municipality.name = "Vestby"
    municipality.save()
    assert "Konserthuset, Vestby" in event_list(client)


def test_a_new_programme_shows_in_the_filter_at_once(client, concert):
    event_list(client)
    ProgrammeFactory(slug="ungdomssymfonien", name="Ungdomssymfonien")
    assert 'value="ungdomssymfonien"' in event_list(client)


def test_an_event_made_private_leaves_the_public_list_at_once(client, concert):
    event_list(client)
    concert.visibility = Event.Visibility.STAFF
    concert.save()
    assert "Vårkonsert" not in event_list(client)


def test_what_a_user_may_see_is_cached_apart(client, period, project_leader, guardian):
    EventFactory(period=period, title_nb="Åpen konsert")
    EventFactory(period=period, title_nb="Medlemskveld", visibility=Event.Visibility.MEMBERS)
    EventFactory(period=period, title_nb="Stabsmøte", visibility=Event.Visibility.STAFF)

    def shown():
        page = event_list(client)
        return {title for title in ("Åpen konsert", "Medlemskveld", "Stabsmøte") if title in page}

    assert shown() == {"Åpen konsert"}
    client.force_login(project_leader)
    assert shown() == {"Åpen konsert", "Medlemskveld", "Stabsmøte"}
    client.force_login(guardian)
    assert shown() == {"Åpen konsert", "Medlemskveld"}
    client.logout()
    assert shown() == {"Åpen konsert"}


def test_filters_and_pages_are_cached_apart(client, period):
    EventFactory.create_batch(52, period=period, kind=Event.Kind.CONCERT)
    tomorrow = timezone.now() + timedelta(days=1)
    EventFactory(
        period=period,
        kind=Event.Kind.WORKSHOP,
        title_nb="Tegneverksted",
        start=tomorrow,
        end=tomorrow + timedelta(hours=2),
    )
    assert "Tegneverksted" in event_list(client, date_to="2100-01-01")
    workshops = event_list(client, kind=Event.Kind.WORKSHOP)
    assert workshops.count('class="event-row') == 1
    assert "Tegneverksted" in workshops
    first = event_list(client, kind=Event.Kind.CONCERT)
    second = event_list(client, kind=Event.Kind.CONCERT, page=2)
    assert first.count('class="event-row') == 50
    assert second.count('class="event-row') == 2
    assert 'href="?kind=concert&amp;date_from=' in second
    assert 'rel="prev"' in second and 'rel="prev"' not in first
    # Parameters in another order are another address: its links keep that order.
    reordered = client.get(
        reverse("events:event_list") + "?page=2&kind=concert&date_to=2100-01-01"
    ).content.decode()
    assert 'href="?kind=concert&amp;date_to=2100-01-01&amp;page=1"' in reordered


def test_a_bad_filter_value_is_shown_back_from_the_cache_too(client, concert):
    for _attempt in range(2):
        page = event_list(client, date_from="not-a-date")
        assert 'value="not-a-date"' in page
        assert "field-error" in page


def test_languages_are_cached_apart(client, concert):
    assert "Vårkonsert" in event_list(client)
    client.post(reverse("set_language"), {"language": "en"})
    page = event_list(client)
    assert "Spring concert" in page
    assert "Vårkonsert" not in page
    assert "1 event" in page
    client.post(reverse("set_language"), {"language": "nb"})
    assert "Vårkonsert" in event_list(client)


def test_the_list_moves_on_at_midnight(client, period, monkeypatch):
    today = timezone.localdate()
    early = timezone.make_aware(datetime.combine(today, time(0, 5)))
    EventFactory(period=period, title_nb="Morgenyoga", start=early, end=early + timedelta(hours=1))
    assert "Morgenyoga" in event_list(client)
    localdate = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda *args, **kwargs: localdate(*args, **kwargs) + timedelta(1)
    )
    assert "Morgenyoga" not in event_list(client)


def test_events_starting_at_once_keep_their_place_across_pages(client, period):
    """Ties in the start are broken by id: each event is on exactly one page."""
    moment = timezone.now() + timedelta(days=2)
    events = EventFactory.create_batch(
        55, period=period, start=moment, end=moment + timedelta(hours=1)
    )
    # On PostgreSQL an updated row moves to the end of its table, so an order by the start
    # alone would come back in another order than the ids'.
    Event.objects.filter(pk__in=[event.pk for event in events[:10]]).update(title_nb="Flyttet")
    pages = event_list(client) + event_list(client, page=2)
    shown = [int(pk) for pk in re.findall(r'href="/events/(\d+)/"', pages)]
    assert shown == sorted(event.pk for event in events)
