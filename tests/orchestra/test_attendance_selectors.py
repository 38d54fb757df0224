# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Attendance reads: the session board, the weekend overview, the guardian's upcoming
sessions and the season's statistics, each in a fixed number of queries."""

from datetime import timedelta

from django.db import reset_queries
from django.utils import timezone

from orchestra.models import Section
from orchestra.selectors.attendance import (
    plans_led_by,
    season_statistics,
    session_board,
    upcoming_for_members,
    weekend_overview,
)
from orchestra.selectors.sessions import session_plans
from orchestra.services import attendance as services
from tests.orchestra.factories import AttendanceFactory, LeaveOfAbsenceFactory, new_member
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    coming,
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)


def test_the_board_lists_answers_leaves_and_who_has_not_answered(
    today, child, other_child, teen, trumpeter
):
    _weekend, plans = today
    tutti = plans["tutti"].event
    AttendanceFactory(member=child, session=tutti, reply="coming")
    AttendanceFactory(member=other_child, session=tutti, reply="not_coming", reason="school")
    LeaveOfAbsenceFactory(
        member=teen,
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate() + timedelta(days=3),
        reason="illness",
    )
    board = session_board(plans["tutti"])
    assert {row.member for row in board.not_answered} == {trumpeter}
    counts = board.counts
    assert counts["expected_total"] == 4
    assert counts["coming"] == 1 and counts["not_coming"] == 2
    assert counts["excused"] == 2 and counts["expected"] == 2


def test_a_member_scanned_in_at_another_groups_session_is_on_its_board(
    today, trumpeter, tutor, season
):
    _weekend, plans = today
    card = services.issue_member_card(member=trumpeter, season=season)
    checkin_list = services.session_checkin_list(plans["strings"])
    from ticketing.services import redeem_ticket

    assert (
        redeem_ticket(secret=card.ticket.secret, checkin_list=checkin_list, user=tutor).answer[
            "status"
        ]
        == "ok"
    )
    rows = {row.member.pk: row for row in session_board(plans["strings"]).rows}
    assert rows[trumpeter.pk].expected is False
    assert rows[trumpeter.pk].status in ("present", "late")


def test_boards_read_a_fixed_number_of_queries(
    today, municipality, youth_group, django_assert_max_num_queries
):
    weekend, _plans = today
    reset_queries()
    with django_assert_max_num_queries(20) as few:
        overview = weekend_overview(weekend)
    baseline = len(few.captured_queries)
    assert len(overview.boards) == 3
    for number in range(10):
        new_member(
            ("Flere", f"Barn{number}"), age=12, municipality=municipality, groups=[youth_group]
        )
    with django_assert_max_num_queries(baseline):
        overview = weekend_overview(weekend)
    assert overview.boards[0].counts["expected_total"] == 14


def test_the_weekend_overview_of_a_tutor_holds_their_sessions_only(today, other_tutor):
    weekend, plans = today
    overview = weekend_overview(weekend, plans_led_by(other_tutor))
    assert [board.plan for board in overview.boards] == [plans["brass"]]


def test_upcoming_sessions_of_a_child_by_weekend(coming, today, child, guardian):
    weekend, plans = coming
    services.reply_for_session(
        member=child, session=plans["tutti"].event, reply="coming", by=guardian
    )
    [schedule] = upcoming_for_members([child])
    [(found_weekend, sessions)] = schedule.weekends
    assert found_weekend == weekend
    assert [item.plan for item in sessions] == [plans["tutti"], plans["strings"]]
    assert sessions[0].reply == "coming" and sessions[1].reply == ""


def test_season_statistics_per_member_section_and_group(
    today,
    child,
    other_child,
    teen,
    trumpeter,
    tutor,
    other_tutor,
    season,
    youth_group,
    junior_group,
    django_assert_max_num_queries,
):
    _weekend, plans = today
    tutti, strings, brass = (plans[key].event for key in ("tutti", "strings", "brass"))
    services.record_attendance(session=tutti, member=child, status="present", by=tutor)
    services.record_attendance(session=tutti, member=other_child, status="late", by=tutor)
    services.record_attendance(session=tutti, member=teen, status="absent", by=tutor)
    services.record_attendance(session=strings, member=child, status="excused", by=tutor)
    services.record_attendance(session=brass, member=trumpeter, status="present", by=other_tutor)
    reset_queries()
    with django_assert_max_num_queries(12):
        statistics = season_statistics(season)
    assert statistics.sessions == 3
    members = {member.pk: tally for member, tally in statistics.by_member}
    assert (members[child.pk].present, members[child.pk].excused) == (1, 1)
    assert members[child.pk].rate == 0.5
    assert members[trumpeter.pk].unrecorded == 1  # the tutti
    sections = dict(statistics.by_section)
    strings_label, brass_label = str(Section.STRINGS.label), str(Section.BRASS.label)
    assert sections[strings_label].present == 1 and sections[strings_label].late == 1
    assert sections[brass_label].present == 1
    groups = {group.pk: tally for group, tally in statistics.by_group}
    # The child is in both groups of the tutti: counted once for each.
    assert groups[junior_group.pk].present == 1
    assert groups[youth_group.pk].present == 2  # the child at the tutti, the trumpeter
    assert statistics.total.counted == 5
    brass.status = brass.Status.CANCELLED
    brass.save()
    assert season_statistics(season).sessions == 2


def test_plans_led_by(today, tutor, other_tutor, project_leader, guardian):
    _weekend, plans = today
    assert set(plans_led_by(tutor)) == {plans["tutti"], plans["strings"]}
    assert set(plans_led_by(project_leader)) == set(session_plans())
    assert not plans_led_by(guardian).exists()
    assert not plans_led_by(None).exists()
