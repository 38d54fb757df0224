"""Who attends which session: groups, sections by main instrument, dates and status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from orchestra import services
from orchestra.models import StatusChange
from orchestra.selectors import expected_members, members_with_details, sessions_of_members
from tests.factories import EventFactory
from tests.orchestra.factories import SessionPlanFactory, born_years_ago, instrument


@pytest.fixture
def weekend(season):
    saturday = timezone.now() + timedelta(days=10)
    parent = EventFactory(
        period=season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        venue=None,
        start=saturday,
        end=saturday + timedelta(days=1),
    )

    def session(title, groups, sections=()):
        event = EventFactory(
            period=season,
            parent=parent,
            kind=Event.Kind.SESSION,
            venue=None,
            title_nb=title,
            start=saturday,
            end=saturday + timedelta(hours=3),
        )
        plan = SessionPlanFactory(event=event, sections=list(sections))
        plan.groups.set(groups)
        return plan

    return parent, session


@pytest.fixture
def trumpeter(municipality, youth_group):
    return services.add_member(
        first_name="Tor",
        last_name="Trompet",
        birth_date=born_years_ago(15),
        municipality=municipality,
        instruments=[services.PlayedInstrument(instrument("Trumpet"), True, 5)],
        groups=[youth_group],
        status=StatusChange.Status.ACTIVE,
        since=timezone.localdate() - timedelta(days=30),
        by=None,
    )


def test_each_member_gets_exactly_their_sessions(
    weekend, youth_group, junior_group, child, trumpeter, django_assert_max_num_queries
):
    _parent, session = weekend
    tutti = session("Tutti", [youth_group])
    strings = session("Strykere", [youth_group], ["strings"])
    brass = session("Messing", [youth_group], ["brass"])
    junior_day = session("Juniordag", [junior_group])
    members = members_with_details(type(child).objects.filter(pk__in=[child.pk, trumpeter.pk]))
    with django_assert_max_num_queries(8):
        found = sessions_of_members(members)
    assert found[child.pk] == [tutti.event, strings.event, junior_day.event]
    assert found[trumpeter.pk] == [tutti.event, brass.event]
    assert expected_members(brass) == [trumpeter]
    assert {m.pk for m in expected_members(tutti)} == {child.pk, trumpeter.pk}
    assert expected_members(junior_day) == [child]


def test_members_who_left_or_only_applied_are_not_expected(
    weekend, youth_group, trumpeter, project_leader
):
    _parent, session = weekend
    tutti = session("Tutti", [youth_group])
    services.set_status(
        member=trumpeter,
        status=StatusChange.Status.LEFT,
        since=timezone.localdate(),
        reason=StatusChange.Reason.OTHER,
        by=project_leader,
    )
    assert expected_members(tutti) == []


def test_a_membership_that_ended_before_the_session_does_not_count(weekend, youth_group, trumpeter):
    _parent, session = weekend
    tutti = session("Tutti", [youth_group])
    membership = trumpeter.memberships.get()
    membership.left_on = timezone.localdate()
    membership.save()
    assert expected_members(tutti) == []
    assert sessions_of_members(members_with_details(type(trumpeter).objects.all())) == {
        trumpeter.pk: []
    }


def test_expected_follows_the_status_on_the_sessions_day(
    season, youth_group, trumpeter, project_leader, django_assert_max_num_queries
):
    """A member on leave since after a session was still expected at it; one who goes on
    leave from a later day is expected before it and not after; the board agrees."""
    from orchestra.selectors.attendance import boards_for
    from orchestra.selectors.sessions import session_plans

    def session_on(days):
        start = timezone.now() + timedelta(days=days)
        event = EventFactory(
            period=season, kind=Event.Kind.SESSION, venue=None, start=start, end=start
        )
        plan = SessionPlanFactory(event=event, sections=[])
        plan.groups.set([youth_group])
        return plan

    past, soon, later = session_on(-10), session_on(3), session_on(20)
    services.set_status(
        member=trumpeter,
        status=StatusChange.Status.ON_LEAVE,
        since=timezone.localdate() - timedelta(days=5),
        by=project_leader,
    )
    assert expected_members(past) == [trumpeter]
    assert expected_members(soon) == []
    # Back as active, then on leave from day 10: expected at day 3, not at day 20.
    services.set_status(
        member=trumpeter,
        status=StatusChange.Status.ACTIVE,
        since=timezone.localdate(),
        by=project_leader,
    )
    services.set_status(
        member=trumpeter,
        status=StatusChange.Status.ON_LEAVE,
        since=timezone.localdate() + timedelta(days=10),
        by=project_leader,
    )
    assert expected_members(soon) == [trumpeter]
    assert expected_members(later) == []
    plans = session_plans().filter(pk__in=[past.pk, soon.pk, later.pk])
    with django_assert_max_num_queries(10):
        boards = boards_for(plans)
    expected = {
        board.plan.pk: [row.member for row in board.rows if row.expected] for board in boards
    }
    assert expected == {past.pk: [trumpeter], soon.pk: [trumpeter], later.pk: []}
