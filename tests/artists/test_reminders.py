"""Artists with a draft application are reminded DRAFT_APPLICATION_REMINDER_DAYS before the
call closes, by send_due_messages, end to end through SMTP and the SMS provider: content,
recipients, language, once."""

from datetime import timedelta

import pytest

from artists.reminders import DRAFTS
from artists.services.applications import start_application, withdraw_application
from core.reach import save_preference
from tests.reminder_helpers import part, run, subject, texts_of

pytestmark = pytest.mark.django_db


def moment_of(call, settings):
    return call.closes_at - timedelta(days=settings.DRAFT_APPLICATION_REMINDER_DAYS)


def test_a_draft_is_reminded_once_before_the_deadline(
    call, applicant, settings, smtp, twilio, django_capture_on_commit_callbacks
):
    sink, fake = smtp(), twilio()
    start_application(call=call, artist=applicant, by=None)
    save_preference(
        applicant.user, language="", mobile="98765432", sms=True, email_enabled=True, muted=[]
    )
    moment = moment_of(call, settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(DRAFTS, moment - timedelta(minutes=1)) == 0
        assert run(DRAFTS, moment) == 2
        assert run(DRAFTS, moment) == 0
        assert run(DRAFTS, moment + timedelta(days=1)) == 0
        assert run(DRAFTS, call.closes_at) == 0  # closed
    (message,) = sink.received
    assert message["To"] == applicant.user.email
    assert "Kunst rett vest 2027" in subject(message)
    assert f"/kunstner/soknader/{call.pk}/" in part(message)
    assert "Mari Maler" in part(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (sms,) = texts_of(fake)
    assert sms["To"] == "+4798765432" and f"/kunstner/soknader/{call.pk}/" in sms["Body"]


def test_no_reminder_without_a_draft_or_for_a_draft_started_after_the_moment(
    call, applicant, other_applicant, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    moment = moment_of(call, settings)
    application = start_application(call=call, artist=applicant, by=None)
    withdraw_application(application=application, by=applicant.user)
    start_application(call=call, artist=other_applicant, by=None, now=moment + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert run(DRAFTS, moment + timedelta(hours=2)) == 0
    assert sink.received == []


@pytest.mark.parametrize(("language", "norwegian"), [("en", False), ("nb", True)])
def test_the_reminder_is_in_the_artists_language(
    call, applicant, settings, smtp, django_capture_on_commit_callbacks, language, norwegian
):
    sink = smtp()
    applicant.language = language
    applicant.save(update_fields=["language"])
    start_application(call=call, artist=applicant, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        run(DRAFTS, moment_of(call, settings))
    (message,) = sink.received
    assert f'<html lang="{language}">' in part(message, "text/html")
    # The deadline as its readers write it: "fredag 17. desember kl. 20.00" in Norwegian.
    assert (" kl. " in part(message)) is norwegian


def test_a_person_who_turned_reminders_off_gets_none(
    call, applicant, settings, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    save_preference(
        applicant.user, language="", mobile="", sms=False, email_enabled=True, muted=["reminder"]
    )
    start_application(call=call, artist=applicant, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(DRAFTS, moment_of(call, settings)) == 0
    assert sink.received == []
