# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The orchestra's feeds answer a conditional request without building their entries
(on PostgreSQL), and still change their ETag on every change a subscriber would see:
an event, a session plan, a sign-up, a leave, a bulk write."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.feeds import cached_entries, tables_fingerprint
from events.models import Event
from events.selectors import CANCELLED_KEEP
from events.services import cancel_event
from orchestra.models import Guardian, Membership, SessionPlan, StatusChange
from orchestra.selectors.calendars import (
    FEED_TABLES_NOT_SHOWN,
    GROUP_FEED_TABLES,
    PRIVATE_FEED_TABLES,
    group_calendar_entries,
    private_calendar_entries,
)
from orchestra.services import masterclasses
from orchestra.services.calendars import create_calendar_token
from orchestra.services.members import set_status
from tests.orchestra.test_calendars_feeds import Season, parent, uids, weekend  # noqa: F401
from tests.queries import tables_read


@pytest.fixture
def token(weekend, parent, child):
    return create_calendar_token(owner=parent)


def private_url(token):
    return f"/calendar/private/{token}.ics"


def conditional(client, url, etag):
    return client.get(url, headers={"if_none_match": etag})


def assert_changes(client, url, change):
    """The feed answers 304 to its ETag, then 200 with another ETag after `change`."""
    first = client.get(url)
    assert first.status_code == 200
    assert conditional(client, url, first["ETag"]).status_code == 304
    change()
    second = conditional(client, url, first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    # The new entries are cached in turn, and answer 304 to the new ETag.
    assert conditional(client, url, second["ETag"]).status_code == 304
    return first, second


# What the cache depends on --------------------------------------------------------------


def test_the_private_feed_reads_only_the_tables_its_fingerprint_covers(weekend, parent, child):
    with CaptureQueriesContext(connection) as queries:
        assert private_calendar_entries(parent)
    assert tables_read(queries.captured_queries) <= {*PRIVATE_FEED_TABLES, *FEED_TABLES_NOT_SHOWN}


def test_the_group_feed_reads_only_the_tables_its_fingerprint_covers(weekend, youth_group):
    with CaptureQueriesContext(connection) as queries:
        assert group_calendar_entries(youth_group)
    assert tables_read(queries.captured_queries) <= {*GROUP_FEED_TABLES, *FEED_TABLES_NOT_SHOWN}


def test_the_fingerprint_changes_with_any_write_to_its_tables(db, is_postgres, weekend):
    tables = ["events_event", "events_venue"]
    before = tables_fingerprint(tables)
    if not is_postgres:
        assert before is None  # elsewhere the entries are always built
        return
    assert tables_fingerprint(tables) == before
    # A bulk UPDATE of one column: no signal, no updated_at.
    Event.objects.filter(pk=weekend.tutti.pk).update(description_nb="Ta med blyant")
    after_update = tables_fingerprint(tables)
    assert after_update != before
    Event.objects.filter(pk=weekend.sunday.pk).delete()
    assert tables_fingerprint(tables) not in (before, after_update)


# The cheap 304 -----------------------------------------------------------------------------


def test_a_conditional_request_to_the_private_feed_does_not_build_it(client, is_postgres, token):
    url = private_url(token)
    first = client.get(url)  # notes the token's use, and caches the entries
    with CaptureQueriesContext(connection) as full:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cheap:
        assert conditional(client, url, first["ETag"]).status_code == 304
    built = len(private_calendar_entries_queries())
    if is_postgres:
        # The token, and one fingerprint query: none of the entries' queries.
        assert len(cheap.captured_queries) == 2
        assert len(full.captured_queries) == 2
        assert built > 2
    else:
        assert len(cheap.captured_queries) == 1 + built


def private_calendar_entries_queries():
    owner = Guardian.objects.get(user__username="guardian")
    with CaptureQueriesContext(connection) as queries:
        private_calendar_entries(owner)
    return queries.captured_queries


def test_a_conditional_request_to_a_group_feed_does_not_build_it(
    client, is_postgres, weekend, youth_group
):
    url = f"/calendar/group/{youth_group.pk}.ics"
    first = client.get(url)
    with CaptureQueriesContext(connection) as cheap:
        assert conditional(client, url, first["ETag"]).status_code == 304
    if is_postgres:
        assert len(cheap.captured_queries) == 2  # the group, the fingerprint


# Every change a subscriber would see changes the ETag -----------------------------------------


def test_an_edited_event_changes_the_private_etag(client, token, weekend):
    def change():
        event = Event.objects.get(pk=weekend.tutti.pk)
        event.title_nb = "Tutti (ny sal)"
        event.save()

    first, second = assert_changes(client, private_url(token), change)
    assert "Tutti (ny sal)" in second.content.decode()


def test_a_cancelled_event_changes_the_private_etag(client, token, weekend):
    first, second = assert_changes(
        client, private_url(token), lambda: cancel_event(event=weekend.tutti, cascade=False)
    )
    assert "STATUS:CANCELLED" in second.content.decode()


def test_a_bulk_update_without_signals_changes_the_private_etag(client, token, weekend):
    later = weekend.tutti.start + timedelta(hours=1)
    first, second = assert_changes(
        client,
        private_url(token),
        lambda: Event.objects.filter(pk=weekend.tutti.pk).update(start=later),
    )


def test_a_changed_session_plan_changes_the_private_etag(client, token, weekend):
    def change():
        # The tutti becomes a brass sectional: the child (a violinist) no longer goes.
        plan = SessionPlan.objects.get(event=weekend.tutti)
        plan.sections = ["brass"]
        plan.save()

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.tutti.uid in uids(first)
    assert weekend.tutti.uid not in uids(second)


def test_a_changed_membership_changes_the_private_etag(client, token, weekend, child):
    def change():
        Membership.objects.filter(member=child).update(
            left_on=timezone.localdate() - timedelta(days=1)
        )

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.tutti.uid not in uids(second)


def test_a_leave_changes_the_private_etag(client, token, weekend, child):
    def change():
        set_status(
            member=child, status=StatusChange.Status.ON_LEAVE, since=timezone.localdate(), by=None
        )

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.tutti.uid in uids(first)
    assert weekend.tutti.uid not in uids(second)


def test_a_sign_up_changes_the_private_etag(
    client, token, child, guardian, season, youth_group, tutor, project_leader
):
    start = timezone.now() + timedelta(days=20)
    master_class = masterclasses.create_master_class(
        season=season,
        title_nb="Mesterklasse fiolin",
        title_en="Violin master class",
        start=start,
        end=start + timedelta(hours=3),
        capacity=2,
        groups=[youth_group],
        tutors=[tutor],
        by=project_leader,
    )

    first, second = assert_changes(
        client,
        private_url(token),
        lambda: masterclasses.sign_up(event=master_class, member=child, by=guardian),
    )
    assert master_class.uid not in uids(first)
    assert master_class.uid in uids(second)


def test_a_new_session_changes_the_group_etag(client, weekend, season, youth_group, junior_group):
    url = f"/calendar/group/{youth_group.pk}.ics"
    first, second = assert_changes(
        client, url, lambda: Season(season, youth_group, junior_group, days=40)
    )
    assert len(uids(second)) > len(uids(first))


# Time ---------------------------------------------------------------------------------------


def test_cached_entries_leave_with_a_cancelled_event_and_at_midnight(db, weekend, youth_group):
    builds = []

    def build(moment):
        builds.append(moment)
        return group_calendar_entries(youth_group, now=moment)

    def entries_at(moment):
        entries = cached_entries(("test",), tables=GROUP_FEED_TABLES, build=build, now=moment)
        return {entry.uid for entry in entries}

    cancel_event(event=weekend.tutti, cascade=False)
    tutti = Event.objects.get(pk=weekend.tutti.pk)
    late = tutti.end + CANCELLED_KEEP - timedelta(hours=1)
    assert tutti.uid in entries_at(late)
    assert builds == [late]
    assert tutti.uid in entries_at(late + timedelta(minutes=30))
    # Past the 30 days after its end, the tutti has left.
    after_midnight = late + timedelta(hours=2)
    assert tutti.uid not in entries_at(after_midnight)
    assert builds[-1] == after_midnight
    # A moment before the build's is never answered from the cache.
    assert tutti.uid in entries_at(late - timedelta(days=1))
    assert builds[-1] == late - timedelta(days=1)
