"""The public pages: home, programme, event list and detail, venue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    PeriodFactory,
    ProgrammeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")


@pytest.fixture
def period(programme):
    today = timezone.localdate()
    return PeriodFactory(
        programme=programme, slug="neste", start=today, end=today + timedelta(days=300)
    )


def test_home_shows_current_periods_and_next_public_events(client, period):
    public = EventFactory(period=period, title_nb="Fellesutstilling")
    EventFactory(period=period, title_nb="Hemmelig prøve", visibility=Event.Visibility.STAFF)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert period.name in html
    assert public.title_nb in html
    assert "Hemmelig prøve" not in html


def test_pages_are_norwegian_by_default_and_english_by_switch(client, period):
    EventFactory(period=period, title_nb="Konsert i kirken", title_en="Concert in the church")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb">' in response.content.decode()
    assert "Konsert i kirken" in response.content.decode()

    switch = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switch.status_code == 302
    response = client.get("/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Concert in the church" in html
    assert "Next events" in html


def test_norwegian_catalogue_is_used(client, period):
    html = client.get("/").content.decode()
    assert "Neste arrangementer" in html
    assert "Logg inn" in html


def test_programme_page_offers_three_ways_to_subscribe(client, period, programme):
    EventFactory(period=period)
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "webcal://testserver/calendar/kunst-rett-vest.ics" in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftestserver" in html
    assert "http://testserver/calendar/kunst-rett-vest.ics" in html
    assert "12" in html and "24" in html


def test_unknown_programme_is_404(client, db):
    assert client.get("/programmes/finnes-ikke/").status_code == 404


def test_event_list_filters_by_programme_kind_municipality_and_dates(client, period):
    asker = MunicipalityFactory(name="Asker")
    drammen = MunicipalityFactory(name="Drammen")
    start = timezone.now() + timedelta(days=3)
    concert = EventFactory(
        period=period, kind=Event.Kind.CONCERT, venue=VenueFactory(municipality=asker),
        start=start, end=start + timedelta(hours=2), title_nb="Asker-konsert",
    )  # fmt: skip
    workshop = EventFactory(
        period=period, kind=Event.Kind.WORKSHOP, venue=VenueFactory(municipality=drammen),
        start=start + timedelta(days=40), end=start + timedelta(days=40, hours=3),
        title_nb="Tegneverksted",
    )  # fmt: skip
    other = EventFactory(title_nb="Annet program")

    def titles(**params):
        html = client.get(reverse("events:event_list"), params).content.decode()
        return {e.title_nb for e in (concert, workshop, other) if e.title_nb in html}

    assert titles() == {"Asker-konsert", "Tegneverksted", "Annet program"}
    assert titles(programme="kunst-rett-vest") == {"Asker-konsert", "Tegneverksted"}
    assert titles(kind="workshop") == {"Tegneverksted"}
    assert titles(municipality=asker.pk) == {"Asker-konsert"}
    later = (start + timedelta(days=20)).date().isoformat()
    assert titles(date_from=later) == {"Tegneverksted"}
    assert titles(date_to=later) == {"Asker-konsert", "Annet program"}


def test_event_list_starts_today_unless_asked(client, period):
    past_start = timezone.now() - timedelta(days=30)
    EventFactory(period=period, title_nb="Gammel", start=past_start, end=past_start)
    html = client.get(reverse("events:event_list")).content.decode()
    assert "Gammel" not in html
    html = client.get(reverse("events:event_list"), {"date_to": "2100-01-01"}).content.decode()
    assert "Gammel" in html


def test_event_list_bad_filter_value_is_a_field_error_not_a_crash(client, db):
    response = client.get(reverse("events:event_list"), {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_event_list_filters_fold_away_and_speak_plainly(client, period):
    """On a phone the events come first: the filters fold into one line until used; empty
    choices say "All", dates are native date pickers (ISO values, shown in the visitor's
    language by the browser), and the venue's id is no field to type in."""
    html = client.get(reverse("events:event_list")).content.decode()
    assert '<details class="filters">' in html  # closed
    assert "---------" not in html
    assert html.count('<option value="" selected>Alle</option>') == 5
    today = timezone.localdate().isoformat()
    assert f'type="date" name="date_from" value="{today}"' in html
    assert 'name="venue"' not in html

    html = client.get(reverse("events:event_list"), {"kind": "concert", "venue": "7"}).content
    html = html.decode()
    assert '<details class="filters" open>' in html
    assert '<input type="hidden" name="venue" value="7">' in html

    wrong = client.get(reverse("events:event_list"), {"date_to": "not-a-date"}).content.decode()
    assert '<details class="filters" open>' in wrong and "field-error" in wrong


def test_event_list_query_count_is_constant(client, period, django_assert_max_num_queries):
    EventFactory.create_batch(3, period=period)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:event_list"))
    EventFactory.create_batch(45, period=period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:event_list"))
    assert response.content.decode().count('class="event-row') == 48


def test_event_detail_shows_sessions_and_ics_link(client, period):
    weekend = EventFactory(period=period, kind=Event.Kind.EXHIBITION, title_nb="Utstilling")
    EventFactory(period=period, parent=weekend, kind=Event.Kind.OPENING, title_nb="Åpning")
    response = client.get(weekend.get_absolute_url())
    html = response.content.decode()
    assert "Åpning" in html
    assert reverse("events:event_ics", args=[weekend.pk]) in html
    assert weekend.venue.name in html


def test_cancelled_event_says_so(client, period):
    event = EventFactory(period=period, status=Event.Status.CANCELLED)
    assert "notice-cancelled" in client.get(event.get_absolute_url()).content.decode()


def test_private_events_are_hidden_from_anonymous_and_shown_to_leaders(
    client, period, project_leader, guardian, nobody
):
    members = EventFactory(period=period, visibility=Event.Visibility.MEMBERS)
    staff = EventFactory(period=period, visibility=Event.Visibility.STAFF)
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(nobody)
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(guardian)
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(staff.get_absolute_url()).status_code == 404
    client.force_login(project_leader)
    assert client.get(staff.get_absolute_url()).status_code == 200


def test_venue_page_links_to_openstreetmap_and_lists_events(client, period):
    venue = VenueFactory(name="Lien")
    EventFactory(period=period, venue=venue, title_nb="Fellesutstillingen")
    html = client.get(venue.get_absolute_url()).content.decode()
    assert "Lien" in html and "Fellesutstillingen" in html
    osm = f"https://www.openstreetmap.org/?mlat={venue.latitude}&amp;mlon={venue.longitude}"
    assert osm in html
    assert f"/calendar/venue/{venue.pk}.ics" in html


def test_pages_use_no_external_assets(client, period):
    EventFactory(period=period)
    for url in ("/", reverse("events:event_list"), period.programme.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<script src="http' not in html
        assert 'rel="stylesheet" href="http' not in html
