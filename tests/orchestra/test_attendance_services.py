"""Attendance workflows: answers ahead, leaves, the leader's record, member cards and scans.

The fixtures here (two rehearsal weekends with a tutti and two sectionals, tutors, a
trumpeter) are imported by the other attendance tests.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from core.roles import Role
from events.models import Event
from orchestra import services as member_services
from orchestra.exceptions import OrchestraError
from orchestra.models import Attendance, LeaveOfAbsence, MemberCard, StatusChange
from orchestra.selectors import members_visible_to
from orchestra.selectors.attendance import session_board
from orchestra.services import attendance as services
from tests.factories import EventFactory, PeriodFactory, UserFactory
from tests.orchestra.factories import (
    AttendanceFactory,
    SessionPlanFactory,
    born_years_ago,
    instrument,
)
from tests.ticketing.factories import CheckinListFactory, OfferFactory
from ticketing.services import TicketRequest, annul_checkin, redeem_ticket, register

SESSIONS = [
    # key, groups, sections
    ("tutti", ("youth", "junior"), []),
    ("strings", ("youth",), ["strings"]),
    ("brass", ("youth",), ["brass"]),
]


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English; the site's default is Norwegian."""
    with translation.override("en"):
        yield


@pytest.fixture
def other_tutor(db):
    return UserFactory(username="other-tutor", roles=[Role.TUTOR])


@pytest.fixture
def trumpeter(municipality, youth_group):
    return member_services.add_member(
        first_name="Tor",
        last_name="Trompet",
        birth_date=born_years_ago(15),
        municipality=municipality,
        instruments=[member_services.PlayedInstrument(instrument("Trumpet"), True, 5)],
        groups=[youth_group],
        status=StatusChange.Status.ACTIVE,
        since=timezone.localdate() - timedelta(days=30),
        medical_notes="Pollen allergy.",
        by=None,
    )


@pytest.fixture
def make_weekend(season, youth_group, junior_group, tutor, other_tutor):
    """Return a function that makes a weekend whose sessions all start at `start`:
    the tutor leads the tutti and the strings, the other tutor the brass."""
    groups = {"youth": youth_group, "junior": junior_group}

    def make(start):
        weekend = EventFactory(
            period=season,
            kind=Event.Kind.REHEARSAL_WEEKEND,
            venue=None,
            start=start,
            end=start + timedelta(hours=6),
        )
        plans = {}
        for key, group_keys, sections in SESSIONS:
            event = EventFactory(
                period=season,
                parent=weekend,
                kind=Event.Kind.SESSION,
                venue=None,
                title_nb=key.title(),
                title_en=key.title(),
                start=start,
                end=start + timedelta(hours=3),
            )
            plan = SessionPlanFactory(event=event, sections=sections)
            plan.groups.set([groups[k] for k in group_keys])
            plan.tutors.set([other_tutor] if key == "brass" else [tutor])
            plans[key] = plan
        return weekend, plans

    return make


@pytest.fixture
def today(make_weekend, child, other_child, teen, trumpeter):
    """A weekend whose sessions began an hour ago, with four members."""
    return make_weekend(timezone.now() - timedelta(hours=1))


@pytest.fixture
def coming(make_weekend, child, other_child, teen, trumpeter):
    """A weekend in ten days."""
    return make_weekend(timezone.now() + timedelta(days=10))


def statuses(plan):
    return {row.member.pk: row.status for row in session_board(plan).rows}


# Answers ahead ------------------------------------------------------------------------------


def test_a_guardian_answers_for_their_child_with_a_reason(coming, child, guardian):
    _weekend, plans = coming
    row = services.reply_for_session(
        member=child,
        session=plans["tutti"].event,
        reply="not_coming",
        reason="illness",
        by=guardian,
    )
    assert (row.reply, row.reason, row.replied_by) == ("not_coming", "illness", guardian)
    assert statuses(plans["tutti"])[child.pk] == Attendance.Status.EXCUSED
    with pytest.raises(OrchestraError, match="reason"):
        services.reply_for_session(
            member=child, session=plans["tutti"].event, reply="not_coming", by=guardian
        )
    row = services.reply_for_session(
        member=child, session=plans["tutti"].event, reply="coming", reason="school", by=guardian
    )
    assert (row.reply, row.reason) == ("coming", "")
    assert Attendance.objects.count() == 1


def test_only_guardians_the_member_and_staff_answer(
    coming, child, teen, member_user, other_guardian, tutor, project_leader
):
    _weekend, plans = coming
    session = plans["tutti"].event
    for stranger in (other_guardian, tutor, member_user):
        with pytest.raises(OrchestraError, match="may not answer"):
            services.reply_for_session(member=child, session=session, reply="coming", by=stranger)
    services.reply_for_session(member=teen, session=session, reply="coming", by=member_user)
    services.reply_for_session(member=child, session=session, reply="coming", by=project_leader)


def test_no_answer_for_a_session_that_started_or_does_not_expect_the_member(
    today, coming, child, guardian
):
    _weekend, started = today
    with pytest.raises(OrchestraError, match="started"):
        services.reply_for_session(
            member=child, session=started["tutti"].event, reply="coming", by=guardian
        )
    _weekend, plans = coming
    with pytest.raises(OrchestraError, match="does not expect"):
        services.reply_for_session(
            member=child, session=plans["brass"].event, reply="coming", by=guardian
        )


def test_a_weekend_answer_covers_exactly_the_childs_sessions(coming, child, guardian):
    weekend, plans = coming
    rows = services.reply_for_weekend(
        member=child, weekend=weekend, reply="not_coming", reason="travel", by=guardian
    )
    assert {row.session_id for row in rows} == {
        plans["tutti"].event_id,
        plans["strings"].event_id,
    }


# Leaves -------------------------------------------------------------------------------------


def test_a_leave_excuses_the_sessions_in_its_range(coming, child, guardian, other_guardian, tutor):
    _weekend, plans = coming
    day = timezone.localtime(plans["tutti"].event.start).date()
    for stranger in (other_guardian, tutor):
        with pytest.raises(OrchestraError):
            services.set_leave(
                member=child, starts_on=day, ends_on=day, reason="travel", by=stranger
            )
    leave = services.set_leave(
        member=child, starts_on=day - timedelta(days=2), ends_on=day, reason="travel", by=guardian
    )
    assert statuses(plans["tutti"])[child.pk] == Attendance.Status.EXCUSED
    assert statuses(plans["strings"])[child.pk] == Attendance.Status.EXCUSED
    with pytest.raises(OrchestraError, match="already has a leave"):
        services.set_leave(member=child, starts_on=day, ends_on=day, reason="other", by=guardian)
    with pytest.raises(OrchestraError, match="ends before"):
        services.set_leave(
            member=child,
            starts_on=day + timedelta(days=5),
            ends_on=day + timedelta(days=4),
            reason="other",
            by=guardian,
        )
    # Ended before it began: removed.
    assert services.end_leave(leave=leave, by=guardian) is None
    assert not LeaveOfAbsence.objects.exists()
    assert statuses(plans["tutti"])[child.pk] == Attendance.Status.EXPECTED


def test_ending_a_running_leave_keeps_its_first_days(child, guardian, youth_group):
    today = timezone.localdate()
    leave = services.set_leave(
        member=child,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=30),
        reason="illness",
        by=guardian,
    )
    leave = services.end_leave(leave=leave, by=guardian)
    assert leave.ends_on == today - timedelta(days=1)


# The leader's record ------------------------------------------------------------------------


def test_the_sessions_tutor_records_attendance_and_others_may_not(
    today, child, trumpeter, tutor, other_tutor, project_leader, guardian
):
    _weekend, plans = today
    tutti = plans["tutti"].event
    for outsider in (other_tutor, guardian):
        with pytest.raises(OrchestraError, match="leaders"):
            services.record_attendance(session=tutti, member=child, status="present", by=outsider)
    row = services.record_attendance(session=tutti, member=child, status="late", by=tutor)
    assert (row.status, row.recorded_by) == ("late", tutor)
    services.record_attendance(session=tutti, member=trumpeter, status="absent", by=project_leader)
    with pytest.raises(OrchestraError, match="does not expect"):
        services.record_attendance(
            session=plans["strings"].event, member=trumpeter, status="present", by=tutor
        )
    with pytest.raises(OrchestraError, match="Unknown"):
        services.record_attendance(session=tutti, member=child, status="gone", by=tutor)


def test_attendance_is_not_recorded_before_the_sessions_day(coming, child, tutor):
    _weekend, plans = coming
    with pytest.raises(OrchestraError, match="day of the session"):
        services.record_attendance(
            session=plans["tutti"].event, member=child, status="present", by=tutor
        )


def test_closing_a_session_marks_the_rest_absent_or_excused(
    today, child, other_child, teen, trumpeter, tutor, guardian
):
    _weekend, plans = today
    tutti = plans["tutti"].event
    services.record_attendance(session=tutti, member=child, status="present", by=tutor)
    AttendanceFactory(member=teen, session=tutti, reply="not_coming", reason="school")
    assert services.close_session(session=tutti, by=tutor) == 3
    assert statuses(plans["tutti"]) == {
        child.pk: "present",
        other_child.pk: "absent",
        teen.pk: "excused",
        trumpeter.pk: "absent",
    }
    assert services.close_session(session=tutti, by=tutor) == 0


# Who a tutor sees ---------------------------------------------------------------------------


def test_a_tutor_sees_the_members_of_the_sessions_they_lead_only(
    today, child, other_child, teen, trumpeter, tutor, other_tutor, django_assert_max_num_queries
):
    # Roles, plans, groups, members, instruments, memberships, status history; then the list.
    with django_assert_max_num_queries(8):
        visible = set(members_visible_to(tutor))
    assert visible == {child, other_child, teen, trumpeter}
    assert set(members_visible_to(other_tutor)) == {trumpeter}
    assert not members_visible_to(UserFactory(roles=[Role.TUTOR])).exists()


def test_a_tutors_view_ends_with_the_season(today, tutor, season):
    season.end = timezone.localdate() - timedelta(days=1)
    season.start = season.end - timedelta(days=300)
    season.save()
    assert not members_visible_to(tutor).exists()


# Member cards and scans ---------------------------------------------------------------------


@pytest.fixture
def card(child, season):
    return services.issue_member_card(member=child, season=season)


def scan(card, checkin_list, user, **kwargs):
    return redeem_ticket(
        secret=card.ticket.secret, checkin_list=checkin_list, user=user, **kwargs
    ).answer


def test_a_member_card_is_a_childs_ticket_issued_once(card, child, season):
    assert card.ticket.attendee_is_child
    assert card.ticket.offer.event.visibility == Event.Visibility.STAFF
    assert services.issue_member_card(member=child, season=season) == card
    assert MemberCard.objects.count() == 1


def test_scanning_a_card_at_the_session_marks_the_member_present_once(today, card, child, tutor):
    _weekend, plans = today
    checkin_list = services.session_checkin_list(plans["tutti"])
    assert plans["tutti"].event.hosts.filter(pk=tutor.pk).exists()
    answer = scan(card, checkin_list, tutor, scanned_at=plans["tutti"].event.start)
    assert answer["status"] == "ok"
    assert answer["ticket"]["attendee_name"] == "Sunniva Strykersen"
    row = Attendance.objects.get(member=child, session=plans["tutti"].event)
    assert row.status == Attendance.Status.PRESENT
    assert row.checkin_id == answer["checkin"]["id"]
    again = scan(card, checkin_list, tutor)
    assert (again["status"], again["reason"]) == ("error", "already_redeemed")
    assert Attendance.objects.filter(member=child).count() == 1


def test_a_scan_after_the_grace_period_is_late_and_an_undo_reverts_it(today, card, child, tutor):
    _weekend, plans = today
    checkin_list = services.session_checkin_list(plans["strings"])
    answer = scan(card, checkin_list, tutor, nonce="n-1")
    assert answer["status"] == "ok"
    row = Attendance.objects.get(member=child, session=plans["strings"].event)
    assert row.status == Attendance.Status.LATE
    annul_checkin(checkin_list=checkin_list, nonce="n-1", user=tutor)
    row.refresh_from_db()
    assert (row.status, row.checkin_id) == (Attendance.Status.EXPECTED, None)


def test_a_venue_host_scanning_a_card_sees_initials_only(today, card, venue_host):
    weekend, plans = today
    checkin_list = services.session_checkin_list(plans["tutti"])
    weekend.hosts.add(venue_host)
    answer = scan(card, checkin_list, venue_host)
    assert answer["status"] == "ok"
    assert answer["ticket"]["attendee_name"] == "S. S."


def test_a_replaced_card_refuses_the_old_code(today, card, child, season, tutor):
    _weekend, plans = today
    old_secret = card.ticket.secret
    new = services.issue_member_card(member=child, season=season, replace=True)
    assert new.pk == card.pk and new.ticket.secret != old_secret
    checkin_list = services.session_checkin_list(plans["tutti"])
    answer = redeem_ticket(secret=old_secret, checkin_list=checkin_list, user=tutor).answer
    assert answer["reason"] == "cancelled"
    assert scan(new, checkin_list, tutor)["status"] == "ok"


def test_other_tickets_and_other_seasons_cards_are_not_admitted(today, card, child, tutor):
    _weekend, plans = today
    checkin_list = services.session_checkin_list(plans["tutti"])
    concert = EventFactory()
    offer = OfferFactory(event=concert, name_nb="Inngang")
    ticket = register(
        event=concert,
        tickets=[TicketRequest(offer=offer, attendee_name="Voksen")],
        name="V",
        email="v@example.org",
        by=None,
    ).tickets.get()
    answer = redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=tutor).answer
    assert answer["reason"] == "wrong_list"
    later = PeriodFactory(programme=card.season.programme, slug="later")
    later_card = services.issue_member_card(member=child, season=later)
    assert scan(later_card, checkin_list, tutor)["reason"] == "wrong_list"
    # An ordinary list at an event without a plan does not admit cards either.
    door = CheckinListFactory(event=concert, name="Dør")
    assert scan(card, door, tutor)["reason"] == "wrong_list"
    assert not Attendance.objects.exists()


def test_the_scanner_expects_the_members_the_session_expects(
    coming, card, child, other_child, guardian, tutor, django_assert_max_num_queries
):
    """A session's list has no tickets of its own: its "expected" is the members its plan
    expects, less those excused; member cards scanned count as checked in."""
    from ticketing.selectors import list_status, list_statuses

    _weekend, plans = coming
    tutti = services.session_checkin_list(plans["tutti"])
    strings = services.session_checkin_list(plans["strings"])
    board = session_board(plans["tutti"])
    expected_at_tutti = sum(1 for row in board.rows if row.expected)
    assert expected_at_tutti == 4
    assert list_status(tutti)["expected"] == 4
    assert list_status(strings)["expected"] == len(
        [row for row in session_board(plans["strings"]).rows if row.expected]
    )
    services.reply_for_session(
        member=child,
        session=plans["tutti"].event,
        reply=Attendance.Reply.NOT_COMING,
        reason="illness",
        by=guardian,
    )
    assert list_status(tutti) == {"expected": 3, "checked_in": 0, "inside": 0}
    answer = scan(card, tutti, tutor)
    assert answer["list_status"]["checked_in"] == 1
    # Both lists at once: a fixed number of queries.
    with django_assert_max_num_queries(14):
        both = list_statuses([tutti, strings])
    # The child said "not coming" but came: present, so expected again.
    assert both[tutti.pk] == {"expected": 4, "checked_in": 1, "inside": 1}


def test_ticket_lists_cost_no_query_for_the_orchestra(db, django_assert_num_queries):
    """Lists that take every offer are never a session's: the counter asks nothing."""
    from orchestra.selectors.attendance import expected_at_session_lists

    door = CheckinListFactory(event=EventFactory(), name="Dør", all_offers=True)
    with django_assert_num_queries(0):
        assert expected_at_session_lists([door]) == {}
