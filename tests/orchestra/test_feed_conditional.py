# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The orchestra's feeds answer a conditional request from their change stamps (the token
and one stamp query, nothing of the feed's data), change their ETag on every change a
subscriber would see (through a service, the admin, an import or a bulk write), and are
not rebuilt by writes they do not show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artists.services.profiles import update_profile
from events.feeds import cached_entries
from events.models import Event
from events.resources import EventResource
from events.selectors import CANCELLED_KEEP
from events.services import cancel_event
from orchestra import services
from orchestra.models import Guardian, Member, Membership, SessionPlan, StatusChange
from orchestra.resources import MemberResource
from orchestra.selectors.calendars import group_calendar_entries, private_calendar_entries
from orchestra.services import masterclasses
from orchestra.services.calendars import create_calendar_token
from orchestra.services.members import set_status
from orchestra.stamps import group_feed_stamps
from tests.artists.factories import ArtistFactory
from tests.factories import EventFactory, UserFactory
from tests.orchestra.factories import instrument
from tests.orchestra.test_calendars_feeds import Season, parent, uids, weekend  # noqa: F401
from tests.queries import tables_read, tables_with_stamps
from tests.staff_writes import post_change_form, reimported
from tests.ticketing.factories import OfferFactory, register_one


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


def assert_not_rebuilt(client, url, change):
    """After `change`, the feed is answered from its cached entries, with the same ETag."""
    first = client.get(url)
    client.get(url)  # the token's use is noted once a day: not in the count below
    change()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content
    assert tables_read(queries.captured_queries) <= {
        *TOKEN_TABLES,
        *GROUP_TABLES,
        "core_changestamp",
    }


# What the stamps cover ----------------------------------------------------------------------

# Read on the way but not shown: the session plans' tutors are prefetched as users (and a
# user's last login changes at every login).
NOT_SHOWN = {"auth_user", "orchestra_sessionplan_tutors"}


def test_the_feeds_read_only_tables_whose_writes_bump_stamps(weekend, parent, child, youth_group):
    """A table a feed reads what it shows from, with no rule in a stamps.py, would leave
    the feed stale: a new dependency fails here first."""
    with CaptureQueriesContext(connection) as queries:
        assert private_calendar_entries(parent)
        assert group_calendar_entries(youth_group)
    assert tables_read(queries.captured_queries) - NOT_SHOWN <= tables_with_stamps()


# The cheap 304 -----------------------------------------------------------------------------


def test_a_conditional_request_to_the_private_feed_reads_the_token_and_the_stamps(client, token):
    url = private_url(token)
    first = client.get(url)  # notes the token's use, and caches the entries
    with CaptureQueriesContext(connection) as full:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cheap:
        assert conditional(client, url, first["ETag"]).status_code == 304
    # The token (with its owner), and one query of the stamps: none of the entries'.
    for queries in (cheap, full):
        token_query, stamps_query = queries.captured_queries
        assert tables_read([token_query]) == TOKEN_TABLES
        assert tables_read([stamps_query]) == {"core_changestamp"}
    assert len(private_calendar_entries_queries()) > 2


TOKEN_TABLES = {"orchestra_calendartoken", "orchestra_guardian", "orchestra_member"}
# The group, with its season for the feed's name.
GROUP_TABLES = {"orchestra_group", "events_period"}


def private_calendar_entries_queries():
    owner = Guardian.objects.get(user__username="guardian")
    with CaptureQueriesContext(connection) as queries:
        private_calendar_entries(owner)
    return queries.captured_queries


def test_a_conditional_request_to_a_group_feed_reads_the_group_and_the_stamps(
    client, weekend, youth_group
):
    url = f"/calendar/group/{youth_group.pk}.ics"
    first = client.get(url)
    with CaptureQueriesContext(connection) as cheap:
        assert conditional(client, url, first["ETag"]).status_code == 304
    group_query, stamps_query = cheap.captured_queries
    assert tables_read([group_query]) == GROUP_TABLES
    assert tables_read([stamps_query]) == {"core_changestamp"}


# Every change a subscriber would see changes the ETag -----------------------------------------


def test_an_edited_event_changes_the_private_etag(client, token, weekend):
    def change():
        event = Event.objects.get(pk=weekend.tutti.pk)
        event.title_nb = "Tutti (ny sal)"
        event.save()

    first, second = assert_changes(client, private_url(token), change)
    assert "Tutti (ny sal)" in second.content.decode()


def test_an_event_edited_in_the_admin_changes_the_private_etag(client, token, weekend, admin_user):
    feed = client.get(private_url(token))
    client.force_login(admin_user)
    post_change_form(
        client,
        reverse("admin:events_event_change", args=[weekend.tutti.pk]),
        {"title_nb": "Tutti i storsalen", "description_nb": "Ta med notestativ"},
    )
    client.logout()
    second = conditional(client, private_url(token), feed["ETag"])
    assert second.status_code == 200
    assert "Tutti i storsalen" in second.content.decode()
    assert "Ta med notestativ" in second.content.decode()


def test_an_imported_event_changes_the_private_etag(client, token, weekend):
    def change():
        reimported(
            EventResource(),
            Event.objects.filter(pk=weekend.tutti.pk),
            title_nb="Tutti fra regnearket",
        )

    first, second = assert_changes(client, private_url(token), change)
    assert "Tutti fra regnearket" in second.content.decode()


def test_a_cancelled_event_changes_the_private_etag(client, token, weekend):
    first, second = assert_changes(
        client, private_url(token), lambda: cancel_event(event=weekend.tutti, cascade=False)
    )
    assert "STATUS:CANCELLED" in second.content.decode()


def test_a_changed_session_plan_changes_the_private_etag(client, token, weekend):
    def change():
        # The tutti becomes a brass sectional: the child (a violinist) no longer goes.
        plan = SessionPlan.objects.get(event=weekend.tutti)
        plan.sections = ["brass"]
        plan.save()

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.tutti.uid in uids(first)
    assert weekend.tutti.uid not in uids(second)


def test_a_group_taken_off_a_plan_changes_the_private_and_group_etags(
    client, token, weekend, youth_group
):
    def change():
        SessionPlan.objects.get(event=weekend.tutti).groups.remove(youth_group)

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.tutti.uid not in uids(second)
    group_url = f"/calendar/group/{youth_group.pk}.ics"
    before = client.get(group_url)
    SessionPlan.objects.get(event=weekend.tutti).groups.add(youth_group)
    after = conditional(client, group_url, before["ETag"])
    assert after.status_code == 200
    assert weekend.tutti.uid in uids(after)


def test_a_changed_membership_changes_the_private_etag(client, token, weekend, child):
    def change():
        for membership in Membership.objects.filter(member=child):
            membership.left_on = timezone.localdate() - timedelta(days=1)
            membership.save()

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


def test_new_instruments_written_in_bulk_change_the_private_etag(client, token, weekend, child):
    """set_instruments() writes with bulk_create, which sends no signal: it bumps itself."""

    def change():
        services.set_instruments(
            member=child, instruments=[services.PlayedInstrument(instrument("Trumpet"), True, 1)]
        )

    first, second = assert_changes(client, private_url(token), change)
    assert weekend.strings.uid in uids(first)
    assert weekend.strings.uid not in uids(second)
    assert weekend.brass.uid in uids(second)


def test_a_renamed_child_changes_the_private_etag_through_the_import(client, token, child):
    def change():
        reimported(MemberResource(), Member.objects.filter(pk=child.pk), first_name="Sunnhild")

    first, second = assert_changes(client, private_url(token), change)
    assert "Sunnhild" in second.content.decode()


@pytest.fixture
def master_class(season, youth_group, tutor, project_leader):
    start = timezone.now() + timedelta(days=20)
    return masterclasses.create_master_class(
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


def test_a_sign_up_changes_the_private_etag(client, token, child, guardian, master_class):

    first, second = assert_changes(
        client,
        private_url(token),
        lambda: masterclasses.sign_up(event=master_class, member=child, by=guardian),
    )
    assert master_class.uid not in uids(first)
    assert master_class.uid in uids(second)


def test_a_cancelled_master_class_place_changes_the_private_etag(
    client, token, child, guardian, master_class
):
    masterclasses.sign_up(event=master_class, member=child, by=guardian)

    # Only the registration is written: the sign-up row stays.
    first, second = assert_changes(
        client,
        private_url(token),
        lambda: masterclasses.cancel_sign_up(event=master_class, member=child, by=guardian),
    )
    assert master_class.uid in uids(first)
    assert master_class.uid not in uids(second)


def test_a_new_session_changes_the_group_etag(client, weekend, season, youth_group, junior_group):
    url = f"/calendar/group/{youth_group.pk}.ics"
    first, second = assert_changes(
        client, url, lambda: Season(season, youth_group, junior_group, days=40)
    )
    assert len(uids(second)) > len(uids(first))


# Writes a feed does not show do not rebuild it -----------------------------------------------


def test_an_artist_profile_edit_does_not_rebuild_the_orchestra_feeds(client, token, youth_group):
    artist = ArtistFactory(name="Anne Akvarell", user=UserFactory(username="anne"))

    def change():
        update_profile(artist=artist, by=artist.user, values={"name": "Anne Olje"})

    assert_not_rebuilt(client, private_url(token), change)
    assert_not_rebuilt(client, f"/calendar/group/{youth_group.pk}.ics", change)


def test_a_concert_registration_does_not_rebuild_a_guardians_calendar(client, token):
    concert = EventFactory(title_nb="Vårkonsert")
    offer = OfferFactory(event=concert, name_nb="Inngang")

    def change():
        register_one(offer)

    assert_not_rebuilt(client, private_url(token), change)


def test_another_familys_child_does_not_rebuild_a_guardians_calendar(client, token, other_child):
    def change():
        set_status(
            member=other_child,
            status=StatusChange.Status.ON_LEAVE,
            since=timezone.localdate(),
            by=None,
        )

    assert_not_rebuilt(client, private_url(token), change)


# Time ---------------------------------------------------------------------------------------


def test_cached_entries_leave_with_a_cancelled_event_and_at_midnight(db, weekend, youth_group):
    builds = []

    def build(moment):
        builds.append(moment)
        return group_calendar_entries(youth_group, now=moment)

    def entries_at(moment):
        feed = cached_entries(("test",), stamps=group_feed_stamps(), build=build, now=moment)
        return {entry.uid for entry in feed.entries()}

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
