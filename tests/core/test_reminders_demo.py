"""The demo shows scheduled reminders: after load_demo, each kind of reminder has
something to send in the coming days (the staff's page of reminders lists them)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core import due
from tests.demo import demo_loaded

pytestmark = pytest.mark.django_db

# The page reads a fixed number of tables whatever the number of reminders.
MAX_QUERIES = 22

KINDS = {
    "orchestra.weekend_reply_reminders",
    "ticketing.ticket_reminders",
    "ticketing.waitlist_offer_reminders",
    "artists.draft_reminders",
    "artists.tally_reminders",
}


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media")) as output:
        yield output


def test_the_demo_has_a_reminder_of_each_kind_in_the_coming_days(_demo, db):
    now = timezone.now()
    coming = due.upcoming(now, now + timedelta(days=settings.REMINDER_PREVIEW_DAYS))
    assert {item.sender for item in coming} >= KINDS - {"artists.draft_reminders"}
    # The open call closes weeks ahead (the demo's artist applies to it): its drafts are
    # reminded DRAFT_APPLICATION_REMINDER_DAYS before, within the page's longest view.
    later = due.upcoming(now, now + timedelta(days=60))
    assert "artists.draft_reminders" in {item.sender for item in later}
    for item in coming:
        assert now < item.at <= now + timedelta(days=settings.REMINDER_PREVIEW_DAYS)
        assert item.recipients > 0


def test_the_staff_page_shows_them_in_constant_queries(
    _demo, db, client, django_assert_max_num_queries
):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="leder"))
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(reverse("core:reminders")).content.decode()
    for key in KINDS - {"artists.draft_reminders"}:
        assert f'data-sender="{key}"' in page
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(reverse("core:reminders") + "?dager=60").content.decode()
    assert 'data-sender="artists.draft_reminders"' in page
    assert "Sunniva" not in page  # names no child (the demo's children are synthetic too)


def test_sending_the_demos_reminders_twice_sends_each_once(_demo, db):
    now = timezone.now() + timedelta(days=3)
    first = sum(run.queued for run in due.send_due_messages(now))
    assert first > 0
    assert sum(run.queued for run in due.send_due_messages(now)) == 0
