"""The morning reminder about missing visitor counts (the due sender
artists.tally_reminders, run by send_due_messages): hosts of a place that counted nothing
on an open day hear about it the next morning from TALLY_REMINDER_HOUR, once per place and
day, however often it runs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from artists.models import TallyReminder
from artists.services import tallies
from core import due
from core.models import OutboundMessage

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
DAY = date(2016, 9, 17)  # an open day of the studio and the exhibition
MORNING_AFTER = datetime(2016, 9, 18, 8, 0, tzinfo=OSLO)


def run(now):
    (result,) = due.send_due_messages(now, only="artists.tally_reminders")
    assert not result.error
    return result.queued


def test_the_morning_run_reminds_each_place_once_however_often_it_runs(
    open_studio,
    exhibition_open,
    artist_profile,
    venue_host,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    tallies.record_tally(by=venue_host, place=exhibition_open, day=DAY, visitors=4)
    with time_machine.travel(MORNING_AFTER, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run(MORNING_AFTER) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert run(MORNING_AFTER) == 0  # the second run does nothing

    reminder = TallyReminder.objects.get()
    assert (reminder.studio_id, reminder.date, reminder.sent_by) == (open_studio.pk, DAY, None)
    reminders = list(mailoutbox)
    assert [m.to for m in reminders] == [[artist_profile.email]]
    assert f"/telling/atelier/{open_studio.pk}/?dag=2016-09-17" in reminders[0].body
    tag = tallies._address_tag(artist_profile.email)
    assert OutboundMessage.objects.get(kind="artists.tally_reminder").key == (
        f"artists.tally_reminder:artists.studio:{open_studio.pk}:days-2016-09-17:to-{tag}"
    )


@pytest.mark.parametrize(("hour", "minute", "sent"), [(7, 59, 0), (8, 0, 1), (23, 59, 1)], ids=str)
def test_the_reminder_waits_for_the_hour_of_the_setting(
    open_studio, settings, hour, minute, sent, mailoutbox
):
    settings.TALLY_REMINDER_HOUR = 8
    moment = datetime(2016, 9, 18, hour, minute, tzinfo=OSLO)
    with time_machine.travel(moment, tick=False):
        assert run(moment) == sent


def test_a_place_staff_reminded_already_is_not_reminded_again(
    open_studio, project_leader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tallies.send_tally_reminders(
            by=project_leader,
            edition=open_studio.edition,
            missing=[(open_studio, DAY)],
            now=MORNING_AFTER,
        )
    with (
        time_machine.travel(MORNING_AFTER, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run(MORNING_AFTER) == 0
    assert len(mailoutbox) == 1


def test_the_same_place_and_day_is_one_email_even_when_two_runs_record_it(
    open_studio, mailoutbox, django_capture_on_commit_callbacks
):
    # Two runs at once (two beats by mistake) both see the day missing: one email.
    with django_capture_on_commit_callbacks(execute=True):
        for _run in range(2):
            tallies.send_tally_reminders(
                by=None,
                edition=open_studio.edition,
                missing=[(open_studio, DAY)],
                now=MORNING_AFTER,
                scheduled=True,
            )
    assert len(mailoutbox) == 1


def test_nothing_on_a_morning_after_a_closed_day(open_studio, mailoutbox):
    moment = datetime(2016, 9, 20, 8, 0, tzinfo=OSLO)
    with time_machine.travel(moment, tick=False):
        assert run(moment) == 0
    assert mailoutbox == []


def test_only_the_scheduled_run_reminds_without_a_user(open_studio):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tallies.send_tally_reminders(
            by=None, edition=open_studio.edition, missing=[(open_studio, DAY)]
        )


def test_hosts_are_reminded_end_to_end_each_in_their_language_with_sms(
    open_studio,
    exhibition_open,
    artist_profile,
    venue_host,
    smtp,
    twilio,
    django_capture_on_commit_callbacks,
):
    from core.reach import save_preference
    from tests.reminder_helpers import part, subject, texts_of

    sink, fake = smtp(), twilio()
    save_preference(
        venue_host, language="en", mobile="41234567", sms=True, email_enabled=True, muted=[]
    )
    with (
        time_machine.travel(MORNING_AFTER, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run(MORNING_AFTER) == 2  # two places, one reminder each
        assert run(MORNING_AFTER) == 0
    by_to = {message["To"]: message for message in sink.received}
    assert set(by_to) == {artist_profile.email, venue_host.email}
    assert f"/telling/utstilling/{exhibition_open.pk}/?dag=2016-09-17" in part(
        by_to[venue_host.email]
    )
    assert by_to[venue_host.email]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Visitor counts missing" in subject(by_to[venue_host.email])
    (sms,) = texts_of(fake)
    assert sms["To"] == "+4741234567"
    assert f"/telling/utstilling/{exhibition_open.pk}/?dag=2016-09-17" in sms["Body"]
