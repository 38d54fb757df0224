"""The orchestra's calendar feeds: a guardian's private feed with exactly each child's
sessions, a member's own feed, and the groups' public feeds without names."""

import hashlib
import logging
from datetime import UTC, date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from events.services import cancel_event
from orchestra import services
from orchestra.models import CalendarToken, Guardian, Member, SessionPlan, StatusChange
from orchestra.services.calendars import create_calendar_token, revoke_calendar_token
from tests.calendars import (
    instants,
    moments_across_daylight_saving,
    read_calendar,
    read_calendars,
)
from tests.factories import EventFactory, VenueFactory
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    TEEN_NAME,
    SessionPlanFactory,
    born_years_ago,
    instrument,
)

JUNIOR_NAME = ("Lilly", "Lillefiolin")
TRUMPETER_NAME = ("Tor", "Trompetsen")


def add_child(names, *, age, groups, municipality, played="Violin", guardian=None, since=None):
    first_name, last_name = names
    member = services.add_member(
        first_name=first_name,
        last_name=last_name,
        birth_date=born_years_ago(age),
        municipality=municipality,
        instruments=[services.PlayedInstrument(instrument(played), True, 2)],
        groups=list(groups),
        status=StatusChange.Status.ACTIVE,
        since=since or timezone.localdate() - timedelta(days=30),
        by=None,
    )
    if guardian is not None:
        services.link_guardian(member=member, guardian=guardian, relation="mother", by=None)
    return member


class Season:
    """A rehearsal weekend of the season's two groups, with tutti, sectionals, the junior
    day and a concert, each with its plan."""

    def __init__(self, season, youth_group, junior_group, *, days=10):
        self.season = season
        self.venue = VenueFactory(name="Lier kulturskole")
        saturday = (timezone.now() + timedelta(days=days)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        self.saturday = saturday
        self.weekend = EventFactory(
            period=season,
            kind=Event.Kind.REHEARSAL_WEEKEND,
            venue=self.venue,
            title_nb="Helgesamling 1",
            start=saturday,
            end=saturday + timedelta(days=1, hours=6),
            visibility=Event.Visibility.MEMBERS,
        )
        self.tutti = self.session("Tutti", [youth_group])
        self.junior_day = self.session("Juniordag", [junior_group], hours=(0, 6))
        self.strings = self.session("Strykere", [youth_group], ["strings"], hours=(4, 6))
        self.brass = self.session("Messing", [youth_group], ["brass"], hours=(4, 6))
        self.sunday = self.session("Tutti søndag", [youth_group], hours=(24, 28))
        self.concert = self.plan(
            EventFactory(
                period=season,
                kind=Event.Kind.CONCERT,
                venue=self.venue,
                title_nb="Julekonsert",
                start=saturday + timedelta(days=14),
                end=saturday + timedelta(days=14, hours=2),
            ),
            [youth_group, junior_group],
        )

    def session(self, title, groups, sections=(), hours=(0, 3)):
        event = EventFactory(
            period=self.season,
            parent=self.weekend,
            kind=Event.Kind.SESSION,
            venue=self.venue,
            title_nb=title,
            start=self.saturday + timedelta(hours=hours[0]),
            end=self.saturday + timedelta(hours=hours[1]),
            visibility=Event.Visibility.MEMBERS,
        )
        return self.plan(event, groups, sections)

    @staticmethod
    def plan(event, groups, sections=()):
        plan = SessionPlanFactory(event=event, sections=list(sections))
        plan.groups.set(groups)
        return event


@pytest.fixture
def weekend(season, youth_group, junior_group):
    return Season(season, youth_group, junior_group)


@pytest.fixture
def parent(child):
    """The guardian record of the `guardian` login (Sunniva's mother)."""
    return Guardian.objects.get(user__username="guardian")


@pytest.fixture
def other_parent(other_child):
    """The guardian record of the `other_guardian` login."""
    return Guardian.objects.get(user__username="other-guardian")


def feed_of(client, token, **headers):
    return client.get(f"/calendar/private/{token}.ics", headers=headers)


def vevents(response):
    assert response.status_code == 200, response.status_code
    calendar, _ = read_calendar(response.content)
    return {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}


def uids(response):
    calendar, _ = read_calendar(response.content)
    return {str(vevent["UID"]) for vevent in calendar.walk("VEVENT")}


# What a guardian's feed holds --------------------------------------------------------------


def test_a_junior_sees_only_the_junior_day_the_weekend_and_the_concert(
    client, weekend, junior_group, municipality, guardian
):
    junior = add_child(JUNIOR_NAME, age=9, groups=[junior_group], municipality=municipality)
    record = services.add_guardian(
        member=junior,
        relation="father",
        first_name="Per",
        last_name="P",
        email="p@example.org",
        by=None,
    )
    token = create_calendar_token(owner=record)
    found = vevents(feed_of(client, token))
    assert set(found) == {"Lilly: Helgesamling 1", "Lilly: Juniordag", "Lilly: Julekonsert"}
    assert uids(feed_of(client, token)) == {
        weekend.weekend.uid,
        weekend.junior_day.uid,
        weekend.concert.uid,
    }
    # The junior day belongs to its weekend.
    assert str(found["Lilly: Juniordag"]["RELATED-TO"]) == weekend.weekend.uid


def test_sectionals_follow_the_main_instrument(
    client, weekend, youth_group, municipality, parent, child
):
    violinist = vevents(feed_of(client, create_calendar_token(owner=parent)))
    trumpeter = add_child(
        TRUMPETER_NAME, age=14, groups=[youth_group], municipality=municipality, played="Trumpet"
    )
    brass_parent = services.add_guardian(
        member=trumpeter,
        relation="mother",
        first_name="B",
        last_name="B",
        email="b@example.org",
        by=None,
    )
    brass = vevents(feed_of(client, create_calendar_token(owner=brass_parent)))
    assert "Sunniva: Strykere" in violinist
    assert not any("Messing" in summary for summary in violinist)
    assert "Tor: Messing" in brass
    assert not any("Strykere" in summary for summary in brass)
    assert "Tor: Tutti" in brass
    assert not any("Juniordag" in summary for summary in brass)


def test_two_children_at_one_session_share_one_entry_with_both_names(
    client, weekend, youth_group, municipality, parent, child
):
    add_child(
        TRUMPETER_NAME,
        age=14,
        groups=[youth_group],
        municipality=municipality,
        played="Trumpet",
        guardian=parent,
    )
    response = feed_of(client, create_calendar_token(owner=parent))
    calendar, _ = read_calendar(response.content)
    tutti = [v for v in calendar.walk("VEVENT") if str(v["UID"]) == weekend.tutti.uid]
    assert len(tutti) == 1
    summary = str(tutti[0]["SUMMARY"])
    assert summary.startswith("Sunniva") and "Tor" in summary and summary.endswith(": Tutti")
    # Each child's own sectional carries only that child's name.
    found = vevents(response)
    assert "Sunniva: Strykere" in found
    assert "Tor: Messing" in found
    assert "Sunniva: Juniordag" in found
    # The weekend names both, once.
    weekend_entries = [v for v in calendar.walk("VEVENT") if str(v["UID"]) == weekend.weekend.uid]
    assert len(weekend_entries) == 1
    assert "Sunniva" in str(weekend_entries[0]["SUMMARY"])
    assert "Tor" in str(weekend_entries[0]["SUMMARY"])


def test_a_guardian_sees_none_of_another_childs_sessions(
    client, weekend, parent, child, other_child
):
    other_parent = Guardian.objects.get(user__username="other-guardian")
    found = vevents(feed_of(client, create_calendar_token(owner=other_parent)))
    assert found
    assert all(summary.startswith("Tobias: ") for summary in found)
    assert not any(CHILD_NAME[0] in summary for summary in found)
    assert "Tobias: Juniordag" not in found


def test_a_members_own_feed_has_their_sessions_without_a_name(client, weekend, teen, member_user):
    token = create_calendar_token(owner=Member.objects.get(pk=teen.pk))
    response = feed_of(client, token)
    found = vevents(response)
    assert set(found) == {"Helgesamling 1", "Tutti", "Strykere", "Tutti søndag", "Julekonsert"}
    assert TEEN_NAME[0].encode() not in response.content
    assert TEEN_NAME[1].encode() not in response.content


def test_members_who_left_or_applied_and_staff_only_events_are_not_in_the_feed(
    client, weekend, youth_group, parent, child, project_leader
):
    hidden = weekend.session("Intern", [youth_group])
    hidden.visibility = Event.Visibility.STAFF
    hidden.save()
    token = create_calendar_token(owner=parent)
    assert hidden.uid not in uids(feed_of(client, token))
    services.set_status(
        member=child,
        status=StatusChange.Status.LEFT,
        since=timezone.localdate(),
        reason=StatusChange.Reason.OTHER,
        by=project_leader,
    )
    assert vevents(feed_of(client, token)) == {}


# Changes reach subscribers -------------------------------------------------------------


def test_a_cancellation_reaches_the_feed_and_changes_the_etag(client, weekend, parent, child):
    token = create_calendar_token(owner=parent)
    first = feed_of(client, token)
    assert feed_of(client, token, if_none_match=first["ETag"]).status_code == 304
    cancel_event(event=weekend.weekend)
    second = feed_of(client, token, if_none_match=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    found = vevents(second)
    assert str(found["Sunniva: Tutti"]["STATUS"]) == "CANCELLED"
    assert str(found["Sunniva: Helgesamling 1"]["STATUS"]) == "CANCELLED"
    assert found["Sunniva: Tutti"]["SEQUENCE"] == 1


def test_a_changed_plan_changes_the_feed_and_its_etag(
    client, weekend, youth_group, junior_group, parent, child
):
    token = create_calendar_token(owner=parent)
    first = feed_of(client, token)
    assert "Sunniva: Strykere" in vevents(first)
    # The plan changes, the event does not: its revision stays, the ETag must not.
    plan = SessionPlan.objects.get(event=weekend.strings)
    plan.sections = ["woodwind"]
    plan.save()
    second = feed_of(client, token, if_none_match=first["ETag"])
    assert second.status_code == 200
    assert "Sunniva: Strykere" not in vevents(second)
    # A group taken off a plan, and a membership ending, change it too.
    weekend_plan = SessionPlan.objects.get(event=weekend.junior_day)
    weekend_plan.groups.remove(junior_group)
    third = feed_of(client, token, if_none_match=second["ETag"])
    assert third.status_code == 200
    assert "Sunniva: Juniordag" not in vevents(third)
    membership = child.memberships.get(group=youth_group)
    membership.left_on = timezone.localdate()
    membership.save()
    fourth = feed_of(client, token, if_none_match=third["ETag"])
    assert fourth.status_code == 200
    assert "Sunniva: Tutti" not in vevents(fourth)


def test_the_feed_is_private_and_not_logged(client, weekend, parent, child, caplog):
    token = create_calendar_token(owner=parent)
    with caplog.at_level(logging.DEBUG):
        response = feed_of(client, token)
        # Another first character (a token may begin with "x" itself).
        missing = feed_of(client, ("y" if token[0] == "x" else "x") + token[1:])
        refused = client.post(f"/calendar/private/{token}.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert missing.status_code == 404
    assert refused.status_code == 405
    assert token not in caplog.text
    assert token[1:] not in caplog.text
    assert CHILD_NAME[0] not in caplog.text


# Tokens ----------------------------------------------------------------------------------


def test_the_token_is_random_and_stored_only_hashed(parent):
    token = create_calendar_token(owner=parent)
    assert len(token) >= 43  # 32 bytes, URL-safe
    assert token.replace("-", "").replace("_", "").isalnum()
    stored = CalendarToken.objects.get(guardian=parent)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    values = CalendarToken.objects.filter(pk=stored.pk).values().get()
    assert token not in {str(value) for value in values.values()}
    assert create_calendar_token(owner=parent) != token


def test_each_link_works_until_it_is_stopped_and_a_new_one_stops_none(
    client, weekend, parent, child, other_parent
):
    assert feed_of(client, "not-a-token").status_code == 404
    assert feed_of(client, "a" * 500).status_code == 404
    phone = create_calendar_token(owner=parent, name="  Mum's phone ")
    theirs = create_calendar_token(owner=other_parent)
    assert feed_of(client, phone).status_code == 200
    ipad = create_calendar_token(owner=parent, name="Family iPad")
    # A new link stops neither the owner's other link nor another guardian's.
    assert feed_of(client, phone).status_code == 200
    assert feed_of(client, ipad).status_code == 200
    assert feed_of(client, theirs).status_code == 200
    links = list(CalendarToken.objects.filter(guardian=parent))
    assert [link.name for link in links] == ["Mum's phone", "Family iPad"]
    # Another owner's link is not stopped through this owner.
    other_link = CalendarToken.objects.get(guardian=other_parent)
    assert revoke_calendar_token(owner=parent, pk=other_link.pk) is False
    assert feed_of(client, theirs).status_code == 200
    assert revoke_calendar_token(owner=parent, pk=links[0].pk) is True
    assert feed_of(client, phone).status_code == 404
    assert feed_of(client, ipad).status_code == 200
    assert revoke_calendar_token(owner=parent, pk=links[0].pk) is False


def test_an_owner_has_at_most_ten_links(parent):
    from orchestra.exceptions import OrchestraError
    from orchestra.services.calendars import MAX_LINKS_PER_OWNER

    for number in range(MAX_LINKS_PER_OWNER):
        create_calendar_token(owner=parent, name=f"Device {number}")
    with pytest.raises(OrchestraError):
        create_calendar_token(owner=parent)
    assert CalendarToken.objects.filter(guardian=parent).count() == MAX_LINKS_PER_OWNER


def test_last_used_is_written_at_most_once_an_hour(client, weekend, parent, child):
    token = create_calendar_token(owner=parent)
    stored = CalendarToken.objects.get(guardian=parent)
    assert stored.last_used_at is None
    feed_of(client, token)
    stored.refresh_from_db()
    first_use = stored.last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        feed_of(client, token)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    stored.refresh_from_db()
    assert stored.last_used_at == first_use
    CalendarToken.objects.filter(pk=stored.pk).update(last_used_at=first_use - timedelta(hours=2))
    feed_of(client, token)
    stored.refresh_from_db()
    assert stored.last_used_at > first_use - timedelta(hours=2)


def test_a_member_needs_their_own_login_for_a_calendar(teen):
    from orchestra.exceptions import OrchestraError

    with pytest.raises(OrchestraError):
        create_calendar_token(owner=teen)


# Queries -----------------------------------------------------------------------------------


def count_feed_queries(client, token):
    with CaptureQueriesContext(connection) as queries:
        response = feed_of(client, token)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_feed_reads_a_fixed_number_of_queries_for_any_number_of_children(
    client, season, youth_group, junior_group, municipality
):
    Season(season, youth_group, junior_group)
    counts = []
    for number in (1, 5):
        record = None
        for index in range(number):
            member = add_child(
                (f"Barn{number}x{index}", "Testesen"),
                age=10,
                groups=[youth_group, junior_group],
                municipality=municipality,
                played="Trumpet" if index % 2 else "Violin",
            )
            if record is None:
                record = services.add_guardian(
                    member=member,
                    relation="mother",
                    first_name="M",
                    last_name="M",
                    email=f"mother{number}@example.org",
                    by=None,
                )
            else:
                services.link_guardian(member=member, guardian=record, relation="mother", by=None)
        token = create_calendar_token(owner=record)
        feed_of(client, token)  # the first read notes its use
        counts.append(count_feed_queries(client, token))
    assert counts[0] == counts[1]


def test_the_feed_reads_a_fixed_number_of_queries_for_any_number_of_sessions(
    client, season, youth_group, junior_group, parent, child
):
    token = create_calendar_token(owner=parent)
    counts = []
    for weekends in (1, 10):  # the child attends 4 sessions a weekend: 4, then 40
        while Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND).count() < weekends:
            count = Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND).count()
            Season(season, youth_group, junior_group, days=10 + 7 * count)
        feed_of(client, token)
        counts.append(count_feed_queries(client, token))
        assert len(uids(feed_of(client, token))) >= 3 * weekends
    assert counts[0] == counts[1]


# The groups' public feeds -----------------------------------------------------------------


def test_a_group_feed_has_its_sessions_and_no_names(
    client, weekend, youth_group, junior_group, child, other_child, teen, parent
):
    response = client.get(f"/calendar/group/{junior_group.pk}.ics")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert uids(response) == {weekend.weekend.uid, weekend.junior_day.uid, weekend.concert.uid}
    youth = client.get(f"/calendar/group/{youth_group.pk}.ics")
    assert weekend.strings.uid in uids(youth)
    assert weekend.junior_day.uid not in uids(youth)
    for feed in (response, youth):
        content = feed.content.decode()
        for member in Member.objects.all():
            assert member.first_name not in content
            assert member.last_name not in content
        for record in Guardian.objects.all():
            assert record.first_name not in content
            assert record.last_name not in content
    for name in (CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME):
        assert name[0] not in youth.content.decode()


def test_a_group_feed_marks_cancellations_and_changes_its_etag(client, weekend, junior_group):
    url = f"/calendar/group/{junior_group.pk}.ics"
    first = client.get(url)
    assert client.get(url, headers={"if_none_match": first["ETag"]}).status_code == 304
    cancel_event(event=weekend.junior_day, cascade=False)
    second = client.get(url, headers={"if_none_match": first["ETag"]})
    assert second.status_code == 200
    found = vevents(second)
    assert str(found["Juniordag"]["STATUS"]) == "CANCELLED"


def test_an_unknown_group_feed_is_404(client, db):
    assert client.get("/calendar/group/999999.ics").status_code == 404


def test_a_group_feed_reads_a_fixed_number_of_queries(client, season, youth_group, junior_group):
    url = f"/calendar/group/{youth_group.pk}.ics"
    counts = []
    for weekends in (1, 10):
        while Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND).count() < weekends:
            count = Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND).count()
            Season(season, youth_group, junior_group, days=10 + 7 * count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_names_are_joined_in_the_feeds_language(
    client, weekend, youth_group, municipality, parent, child
):
    add_child(
        TRUMPETER_NAME, age=14, groups=[youth_group], municipality=municipality, guardian=parent
    )
    token = create_calendar_token(owner=parent)
    english = client.get(f"/calendar/private/{token}.ics?lang=en")
    assert b"SUMMARY:Sunniva and Tor: " in english.content
    assert feed_of(client, token)["ETag"] != english["ETag"]


# Times across the daylight-saving changes --------------------------------------------------


def test_the_private_and_group_feeds_read_the_same_instants_in_every_parser(
    client, season, youth_group, municipality
):
    """A member who joined in August 2016: the private feeds begin with the first autumn,
    which ical.js (Thunderbird, Nextcloud) read an hour off; the group's feed with 2016."""
    joined = date(2016, 8, 1)
    member = add_child(
        ("Dina", "Dirigentsen"),
        age=18,
        groups=[youth_group],
        municipality=municipality,
        since=joined,
    )
    record = services.add_guardian(
        member=member,
        relation="father",
        first_name="Per",
        last_name="P",
        email="p@example.org",
        by=None,
    )
    services.create_member_login(member=member, username="dina", email="dina@example.org", by=None)
    in_group, since_joining = {}, {}
    for label, moment in moments_across_daylight_saving(2016, 2027).items():
        start = moment.astimezone(UTC)
        event = Season.plan(
            EventFactory(
                period=season,
                kind=Event.Kind.CONCERT,
                title_nb=label,
                start=start,
                end=start + timedelta(minutes=90),
            ),
            [youth_group],
        )
        in_group[event.uid] = (start, start + timedelta(minutes=90))
        if moment.date() >= joined:
            since_joining[event.uid] = in_group[event.uid]

    responses = [
        feed_of(client, create_calendar_token(owner=record)),
        feed_of(client, create_calendar_token(owner=Member.objects.get(pk=member.pk))),
        client.get(f"/calendar/group/{youth_group.pk}.ics"),
        client.get(f"/calendar/group/{youth_group.pk}.ics?lang=en"),
    ]
    assert [response.status_code for response in responses] == [200] * 4
    guardians, members, group, english = read_calendars(*(r.content for r in responses))
    assert instants(guardians[0]) == since_joining
    assert instants(members[0]) == since_joining
    assert instants(group[0]) == in_group
    assert instants(english[0]) == in_group
