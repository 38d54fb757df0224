"""Ticketing's dashboard panels: registrations and waitlists for the organisers, today's
scanning for an event's hosts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboards import dashboard_html, panel, panel_keys, queries_of
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, CheckinListFactory, OfferFactory
from ticketing.models import Registration
from ticketing.services import TicketRequest, register

pytestmark = pytest.mark.django_db


def full_event_with_waitlist(waiting: int, **fields):
    """Return an event whose one place is taken, with ``waiting`` people on its waitlist."""
    event = EventFactory(**fields)
    pool = CapacityPoolFactory(event=event, size=1)
    offer = OfferFactory(event=event, pool=pool)
    for number in range(waiting + 1):
        register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=f"Person {number}")],
            name=f"Person {number}",
            email=f"person{number}@example.org",
            by=None,
            join_waitlist=number > 0,
        )
    return event


def test_the_project_leader_sees_registrations_today_this_week_and_the_waitlists(
    client, project_leader
):
    event = full_event_with_waitlist(2, title_nb="Vårkonsert")
    # Made more than a week ago: in neither figure.
    old = Registration.objects.filter(event=event).order_by("pk").first()
    Registration.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "ticketing.registrations")
    assert 'data-count="today">2<' in html
    assert 'data-count="week">2<' in html
    assert "Vårkonsert" in html
    assert 'data-waiting="2"' in html
    assert f'href="{reverse("ticketing:event_registrations", args=[event.pk])}"' in html


def test_a_past_event_and_an_event_without_a_waitlist_are_not_listed(client, project_leader):
    past = full_event_with_waitlist(1, title_nb="Gammel konsert")
    past.start = timezone.now() - timedelta(days=3)
    past.end = past.start + timedelta(hours=2)
    past.save()
    full_event_with_waitlist(0, title_nb="Ledig konsert")
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "ticketing.registrations")
    assert "Gammel konsert" not in html
    assert "Ledig konsert" not in html
    assert "No waitlists" in html or "Ingen ventelister" in html


def test_with_no_registrations_this_week_and_no_waitlist_there_is_no_panel(client, project_leader):
    event = full_event_with_waitlist(0)
    Registration.objects.filter(event=event).update(created_at=timezone.now() - timedelta(days=8))
    client.force_login(project_leader)
    html = dashboard_html(client)
    assert "ticketing.registrations" not in panel_keys(html)
    assert "Nothing needs you right now" in html or "Ingenting venter" in html


@pytest.mark.parametrize("role", ["artist", "juror", "guardian", "venue_host", "tutor", "nobody"])
def test_only_the_organisers_see_the_registrations(client, request, role):
    full_event_with_waitlist(1)
    client.force_login(request.getfixturevalue(role))
    assert "ticketing.registrations" not in panel_keys(dashboard_html(client))


def test_the_registrations_panel_reads_a_fixed_number_of_queries(
    client, project_leader, django_assert_max_num_queries
):
    for _number in range(2):
        full_event_with_waitlist(1)
    client.force_login(project_leader)
    baseline = queries_of(client, django_assert_max_num_queries)
    for _number in range(8):
        full_event_with_waitlist(2)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    assert dashboard_html(client).count("data-waiting=") == 8  # DASHBOARD_ROWS


# Scanning today ------------------------------------------------------------------------


def today_at(hour: int):
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


def hosted_list_today(host, title: str):
    event = EventFactory(title_nb=title, start=today_at(10), end=today_at(22))
    event.hosts.add(host)
    return CheckinListFactory(event=event, name="Hoveddør")


def test_a_host_sees_todays_lists_with_the_scanner(client, venue_host, other_host_user):
    mine = hosted_list_today(venue_host, "Min konsert")
    hosted_list_today(other_host_user, "Annen konsert")
    tomorrow = EventFactory(
        title_nb="I morgen",
        start=today_at(10) + timedelta(days=1),
        end=today_at(12) + timedelta(days=1),
    )
    tomorrow.hosts.add(venue_host)
    CheckinListFactory(event=tomorrow)
    client.force_login(venue_host)
    html = panel(dashboard_html(client), "ticketing.scanning")
    assert "Min konsert" in html
    assert f'href="{reverse("ticketing:scanner", args=[mine.pk])}"' in html
    assert "Annen konsert" not in html
    assert "I morgen" not in html


def test_a_host_with_nothing_today_sees_no_scanning_panel(client, venue_host):
    client.force_login(venue_host)
    assert "ticketing.scanning" not in panel_keys(dashboard_html(client))


def test_the_scanning_panel_reads_a_fixed_number_of_queries(
    client, venue_host, django_assert_max_num_queries
):
    for number in range(2):
        hosted_list_today(venue_host, f"Konsert {number}")
    client.force_login(venue_host)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(8):
        hosted_list_today(venue_host, f"Ekstra {number}")
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline


@pytest.fixture
def other_host_user(db):
    from core.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="other-host", roles=[Role.VENUE_HOST])
