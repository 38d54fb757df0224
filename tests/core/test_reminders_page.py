"""The staff's page of reminders (/stab/paminnelser/): what the senders will send and what
went, in a number of queries that does not grow with them; staff only."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.mail import queue_email
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory, register_one

pytestmark = pytest.mark.django_db


def add_events(count, first=0):
    for number in range(first, first + count):
        event = EventFactory(start=timezone.now() + timedelta(days=2, hours=number))
        pool = CapacityPoolFactory(event=event, name="Salen", size=10)
        register_one(OfferFactory(event=event, pool=pool), attendee_name=f"Ola{number}")
        queue_email(
            EmailMessage(subject="Hei", body="Tekst", to=[f"p{number}@example.org"]),
            kind=f"test.reminder{number % 3}",
            occasion=str(number),
            category="reminder",
        )


def page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:reminders"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_page_lists_coming_and_sent_reminders_in_constant_queries(client, project_leader):
    client.force_login(project_leader)
    add_events(1)
    few, page = page_queries(client)
    assert page.count('data-sender="ticketing.ticket_reminders"') == 1
    add_events(6, first=1)
    many, page = page_queries(client)
    assert page.count('data-sender="ticketing.ticket_reminders"') == 7
    assert page.count('data-kind="test.reminder') == 3  # by kind, day and channel
    assert many == few


def test_the_page_is_for_staff_only(client, nobody, guardian):
    for user in (nobody, guardian):
        client.force_login(user)
        assert client.get(reverse("core:reminders")).status_code in (403, 404)
    client.logout()
    assert client.get(reverse("core:reminders")).status_code == 302


def test_how_far_ahead_is_bounded(client, project_leader):
    client.force_login(project_leader)
    for given, shown in (("0", 1), ("1000", 60), ("x", 7)):
        page = client.get(reverse("core:reminders") + f"?dager={given}").content.decode()
        assert f'id="upcoming" data-days="{shown}"' in page
