"""The rules the rehearsal models keep themselves: plans, answers, leaves, calendar tokens."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event
from orchestra.models import (
    Attendance,
    CalendarToken,
    LeaveOfAbsence,
    SessionPlan,
    hash_calendar_token,
)
from tests.factories import EventFactory


@pytest.fixture
def session(season):
    return EventFactory(period=season, kind=Event.Kind.SESSION, venue=None)


def test_a_plan_takes_known_sections_only(session):
    with pytest.raises(ValidationError) as caught:
        SessionPlan(event=session, sections=["strings", "kazoo"]).full_clean()
    assert "sections" in caught.value.message_dict
    plan = SessionPlan(event=session, sections=["strings"])
    plan.full_clean()
    assert plan.admits_section("strings") and not plan.admits_section("brass")
    assert SessionPlan(event=session).admits_section("brass")  # a tutti


def test_a_plan_is_for_sessions_concerts_and_master_classes(season):
    exhibition = EventFactory(period=season, kind=Event.Kind.EXHIBITION, venue=None)
    with pytest.raises(ValidationError):
        SessionPlan(event=exhibition).full_clean()


def test_not_coming_needs_a_reason(child, session):
    answer = Attendance(member=child, session=session, reply=Attendance.Reply.NOT_COMING)
    with pytest.raises(ValidationError):
        answer.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
    answer.reason = "illness"
    answer.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(member=child, session=session)


def test_a_leave_ends_after_it_starts(child):
    leave = LeaveOfAbsence(
        member=child, starts_on=date(2026, 10, 2), ends_on=date(2026, 10, 1), reason="travel"
    )
    with pytest.raises(ValidationError):
        leave.full_clean()
    leave.ends_on = leave.starts_on + timedelta(days=10)
    leave.full_clean()


def test_a_calendar_token_has_one_owner_and_only_its_hash_is_kept(child, guardian):
    digest = hash_calendar_token("secret-token")
    assert len(digest) == 64 and "secret-token" not in digest
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarToken.objects.create(token_hash=digest)
    CalendarToken.objects.create(guardian=guardian.orchestra_guardian, token_hash=digest)
