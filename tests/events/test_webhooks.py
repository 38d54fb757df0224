"""The events app's webhook events (core.webhooks): a public event changed or cancelled,
from any writer (the services, the API, the admin) through a post_save on Event."""

import pytest

from events.models import Event
from events.services import cancel_event
from tests.factories import EventFactory
from tests.webhooks import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(webhook_receiver):
    receiver = webhook_receiver()
    subscribe(receiver, "event.changed", "event.cancelled")
    return receiver


def test_a_change_through_the_api_is_event_changed(
    receiver, api_as, admin_user, django_capture_on_commit_callbacks
):
    event = EventFactory(title_nb="Konsert")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(admin_user).patch(
            f"/api/v1/events/{event.pk}/", {"title_nb": "Sommerkonsert"}
        )
    assert response.status_code == 200, response.json()
    (changed,) = receiver.payloads("event.changed")
    assert changed["data"]["id"] == event.pk
    assert changed["data"]["title_nb"] == "Sommerkonsert"
    assert changed["data"]["revision"] == 1
    assert changed["data"]["url"].endswith(event.get_absolute_url())
    assert receiver.payloads("event.cancelled") == []


def test_cancel_event_is_event_cancelled_for_the_event_and_its_sessions(
    receiver, django_capture_on_commit_callbacks
):
    event = EventFactory(title_nb="Festival")
    session = EventFactory(title_nb="Dag 1", parent=event, period=event.period)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(event=event)
    cancelled = receiver.payloads("event.cancelled")
    assert sorted(payload["data"]["id"] for payload in cancelled) == sorted([event.pk, session.pk])
    assert {payload["data"]["status"] for payload in cancelled} == {"cancelled"}
    assert receiver.payloads("event.changed") == []


def test_events_only_staff_see_and_unseen_fields_send_nothing(
    receiver, django_capture_on_commit_callbacks
):
    hidden = EventFactory(visibility=Event.Visibility.STAFF)
    public = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        hidden.title_nb = "Internt møte"
        hidden.save()
        public.save()  # nothing a calendar shows changed
    assert receiver.received == []
