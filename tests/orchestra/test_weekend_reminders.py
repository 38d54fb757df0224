# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Guardians (and members with their own login) who have not answered for a rehearsal
weekend are reminded WEEKEND_REPLY_REMINDER_HOURS before it starts, by send_due_messages,
end to end through SMTP and the SMS provider: one reminder per person naming only their own
children, in their language, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboundMessage
from core.reach import save_preference
from orchestra.reminders import WEEKENDS
from tests.orchestra.factories import AttendanceFactory
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    make_weekend,
    other_tutor,
    trumpeter,
)
from tests.reminder_helpers import part, run, texts_of, to_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(make_weekend, two_children, other_child, trumpeter):
    """A weekend starting in 47 hours: the reminder is due."""
    now = timezone.now()
    weekend, plans = make_weekend(now + timedelta(hours=47))
    return now, weekend, plans


def answer_all(member, plans):
    for plan in plans.values():
        AttendanceFactory(member=member, session=plan.event, reply="coming")


def test_each_guardian_gets_one_reminder_naming_only_their_own_children_once(
    soon, guardian, other_guardian, smtp, twilio, django_capture_on_commit_callbacks
):
    now, weekend, _plans = soon
    sink, fake = smtp(), twilio()
    save_preference(
        guardian, language="", mobile="912 34 567", sms=True, email_enabled=True, muted=[]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run(WEEKENDS, now) == 3  # two emails and one SMS
    with django_capture_on_commit_callbacks(execute=True):
        assert run(WEEKENDS, now) == 0  # a second run sends nothing
        assert run(WEEKENDS, now + timedelta(minutes=1)) == 0  # nor the next minute's

    assert to_of(sink) == sorted([guardian.email, other_guardian.email])
    by_to = {message["To"]: message for message in sink.received}
    mine = part(by_to[guardian.email])
    # Both of the guardian's children (the child and the teen), in one email; no one else's.
    assert "Sunniva" in mine and "Maja" in mine
    assert "Tobias" not in mine and "Tor" not in mine and "Strykersen" not in mine
    theirs = part(by_to[other_guardian.email])
    assert "Tobias" in theirs and "Sunniva" not in theirs and "Maja" not in theirs
    assert "/oversikt/" in mine
    # A reminder: it can be turned off in one click.
    assert by_to[guardian.email]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (sms,) = texts_of(fake)
    assert sms["To"] == "+4791234567"
    assert "Sunniva" in sms["Body"] and "Maja" in sms["Body"] and "Tobias" not in sms["Body"]
    keys = set(
        OutboundMessage.objects.filter(kind="orchestra.weekend_reminder").values_list(
            "key", flat=True
        )
    )
    assert all("Sunniva" not in key and "@" not in key for key in keys)


def test_a_member_with_their_own_login_gets_their_own_naming_no_one_else(
    soon, member_user, smtp, django_capture_on_commit_callbacks
):
    now, _weekend, _plans = soon
    sink = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        run(WEEKENDS, now)
    (own,) = [m for m in sink.received if m["To"] == member_user.email]
    text = part(own)
    assert "Sunniva" not in text and "Tobias" not in text
    assert "/oversikt/" in text


def test_no_reminder_once_answered_or_on_leave(
    soon,
    two_children,
    other_child,
    other_guardian,
    guardian,
    smtp,
    django_capture_on_commit_callbacks,
):
    now, _weekend, plans = soon
    sink = smtp()
    answer_all(other_child, plans)
    child, _teen = two_children
    answer_all(child, plans)  # the teen still has no answer
    with django_capture_on_commit_callbacks(execute=True):
        run(WEEKENDS, now)
    assert to_of(sink) == [guardian.email]
    text = part(sink.received[0])
    assert "Maja" in text and "Sunniva" not in text


def test_muted_reminders_are_not_sent_and_the_language_is_the_persons(
    soon, guardian, other_guardian, smtp, django_capture_on_commit_callbacks
):
    now, weekend, _plans = soon
    sink = smtp()
    save_preference(
        guardian, language="", mobile="", sms=False, email_enabled=True, muted=["reminder"]
    )
    save_preference(
        other_guardian, language="en", mobile="", sms=False, email_enabled=True, muted=[]
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(WEEKENDS, now)
    (message,) = sink.received
    assert message["To"] == other_guardian.email
    assert '<html lang="en">' in part(message, "text/html")
    # The weekend's start as English readers read it ("Saturday 12 December, 10:00").
    start = timezone.localtime(weekend.start)
    assert f"{start:%A} {start.day} {start:%B}" in part(message)


@pytest.mark.parametrize(("hours", "sent"), [(48, True), (48.02, False), (0.5, True)])
def test_the_reminder_goes_from_the_hour_of_the_setting(
    make_weekend, two_children, settings, hours, sent, smtp, django_capture_on_commit_callbacks
):
    settings.WEEKEND_REPLY_REMINDER_HOURS = 48
    now = timezone.now()
    make_weekend(now + timedelta(hours=hours))
    sink = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        run(WEEKENDS, now)
    assert bool(sink.received) is sent


def test_a_weekend_that_started_is_not_reminded(
    make_weekend, two_children, smtp, django_capture_on_commit_callbacks
):
    now = timezone.now()
    make_weekend(now - timedelta(minutes=1))
    sink = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(WEEKENDS, now) == 0
    assert sink.received == []
