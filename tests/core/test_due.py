"""manage.py send_due_messages: every registered sender runs for the moment given, each in
its own transaction, so one that fails undoes only its own work and the others still send."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from core import due
from core.mail import queue_email
from core.models import OutboundMessage
from core.tasks import send_due_messages

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' senders come back afterwards."""
    monkeypatch.setattr(due, "_SENDERS", {})
    return due._SENDERS


def greet(now):
    message = EmailMessage(subject="Hei", body=f"Klokka er {now:%H:%M}", to=["kari@example.org"])
    return 1 if queue_email(message, kind="test.greeting", occasion=f"{now:%Y%m%d%H%M}") else 0


def test_each_due_message_is_queued_once_however_often_the_command_runs(registry, capsys):
    due.due_sender("greeting")(greet)
    call_command("send_due_messages", at="2027-03-01T08:00+01:00")
    call_command("send_due_messages", at="2027-03-01T08:00+01:00")
    assert capsys.readouterr().out.splitlines() == ["greeting: 1", "greeting: 0"]
    (message,) = OutboundMessage.objects.all()
    assert message.body == "Klokka er 08:00"
    assert message.key == "test.greeting:-:-:202703010800"


def test_a_failing_sender_undoes_its_own_work_and_the_others_still_run(registry, capsys):
    def half_then_fail(now):
        greet(now)
        raise RuntimeError("the template is broken")

    due.due_sender("broken", order=1)(half_then_fail)
    due.due_sender("greeting", order=2)(greet)
    with pytest.raises(CommandError, match="A sender failed"):
        call_command("send_due_messages")
    output = capsys.readouterr()
    assert "broken: 0 (failed: RuntimeError: the template is broken)" in output.err
    assert "greeting: 1" in output.out
    assert OutboundMessage.objects.count() == 1  # the broken sender's email is undone


def test_senders_run_in_their_order_and_one_can_run_alone(registry):
    ran = []
    due.due_sender("reminders", order=50)(lambda now: ran.append("reminders"))
    due.due_sender("notices", order=10)(lambda now: ran.append("notices"))
    due.send_due_messages(datetime(2027, 3, 1, 8, tzinfo=OSLO))
    assert ran == ["notices", "reminders"]
    ran.clear()
    call_command("send_due_messages", only="reminders")
    assert ran == ["reminders"]
    with pytest.raises(CommandError, match="No sender 'nothing'"):
        call_command("send_due_messages", only="nothing")


def test_the_command_wants_a_moment_with_a_time_zone(registry):
    with pytest.raises(CommandError, match="time zone"):
        call_command("send_due_messages", at="2027-03-01T08:00")


def test_the_task_returns_how_many_messages_it_queued(registry):
    due.due_sender("greeting")(greet)
    assert send_due_messages.apply().get() == 1
