"""Retention: members who left long ago are anonymised; lone guardians are deleted."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from orchestra import services
from orchestra.models import (
    Attendance,
    CalendarToken,
    ConsentAcceptance,
    Guardian,
    Member,
    MemberCard,
    StatusChange,
    hash_calendar_token,
)
from orchestra.services.attendance import issue_member_card
from orchestra.services.retention import (
    anonymise_departed_members,
    members_due_for_anonymisation,
    months_before,
)
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, AttendanceFactory


def leave(member, *, days_ago, by):
    """The member leaves today; the record is then dated back, as if it was long ago."""
    services.set_status(
        member=member,
        status=StatusChange.Status.LEFT,
        since=timezone.localdate(),
        reason=StatusChange.Reason.AGE_LIMIT,
        by=by,
    )
    history = StatusChange.objects.filter(member=member)
    history.exclude(status=StatusChange.Status.LEFT).update(
        since=timezone.localdate() - timedelta(days=days_ago + 365)
    )
    history.filter(status=StatusChange.Status.LEFT).update(
        since=timezone.localdate() - timedelta(days=days_ago)
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 25), 12, date(2025, 11, 25)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 2, date(2025, 11, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_only_members_who_left_long_enough_ago_are_due(
    child, other_child, project_leader, settings
):
    settings.ORCHESTRA_RETENTION_MONTHS = 12
    leave(child, days_ago=400, by=project_leader)
    leave(other_child, days_ago=20, by=project_leader)
    assert list(members_due_for_anonymisation()) == [child]


def test_anonymising_keeps_statistics_and_removes_what_names_the_child(
    child, season, guardian, project_leader, photo_text
):
    birth_year = child.birth_date.year
    issue_member_card(member=child, season=season, by=project_leader)
    card_ticket = MemberCard.objects.get(member=child).ticket
    CalendarToken.objects.create(
        guardian=guardian.orchestra_guardian, token_hash=hash_calendar_token("t")
    )
    leave(child, days_ago=400, by=project_leader)

    result = anonymise_departed_members()

    assert (result.members, result.guardians) == (1, 1)
    member = Member.objects.get(pk=child.pk)
    assert member.anonymised_at is not None
    assert CHILD_NAME[0] not in (member.first_name + member.last_name)
    assert member.birth_date == date(birth_year, 1, 1)
    assert member.medical_notes == "" and member.user is None
    assert member.member_instruments.exists() and member.municipality_id
    assert member.status_changes.filter(status="left", reason="age_limit").exists()
    assert not ConsentAcceptance.objects.filter(member=member).exists()
    assert not MemberCard.objects.filter(member=member).exists()
    card_ticket.refresh_from_db()
    assert CHILD_NAME[0] not in card_ticket.attendee_name
    assert CHILD_NAME[1] not in card_ticket.registration.name
    # The guardian had no other child: their record, login and calendar are gone.
    assert not Guardian.objects.filter(email="guardian@example.org").exists()
    assert not get_user_model().objects.filter(pk=guardian.pk).exists()
    assert not CalendarToken.objects.exists()
    # A second run finds nothing more to do.
    assert anonymise_departed_members().members == 0


def test_a_guardian_with_another_child_stays(
    child, other_child, guardian, project_leader, municipality
):
    services.link_guardian(
        member=other_child, guardian=guardian.orchestra_guardian, relation="mother", by=None
    )
    leave(child, days_ago=400, by=project_leader)
    anonymise_departed_members()
    assert Guardian.objects.filter(pk=guardian.orchestra_guardian.pk).exists()
    assert Member.objects.get(pk=other_child.pk).first_name == OTHER_CHILD_NAME[0]


def test_attendance_stays_without_its_notes(child, project_leader, season):
    from events.models import Event
    from tests.factories import EventFactory

    session = EventFactory(period=season, kind=Event.Kind.SESSION, venue=None)
    AttendanceFactory(
        member=child,
        session=session,
        status="present",
        note="Kom med mor",
        recorded_by=project_leader,
    )
    leave(child, days_ago=400, by=project_leader)
    anonymise_departed_members()
    row = Attendance.objects.get(member=child)
    assert (row.status, row.note, row.recorded_by) == ("present", "", None)


def test_the_command_reports_what_it_did(child, project_leader):
    leave(child, days_ago=400, by=project_leader)
    out = StringIO()
    call_command("anonymise_departed_members", stdout=out)
    assert "Anonymised 1 member(s); deleted 1 guardian(s)." in out.getvalue()
