"""Outbound messages (core.mail, core.tasks): every email is recorded, sent after commit,
once, retried with backoff when the mail server fails, and staff can resend a failed one."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import queue_email, resend_message
from core.models import AuditEntry, OutboundMessage
from core.retention import OUTBOUND_MESSAGES, apply_retention
from core.tasks import MAX_RETRIES, backoff, deliver_message

pytestmark = pytest.mark.django_db


class Sink:
    """An SMTP server's handler that keeps what it receives, or refuses every message."""

    def __init__(self, refuse=False):
        self.refuse = refuse
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 Refused for the test"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd), with Django's SMTP backend pointed at it."""
    servers = []

    def start(refuse=False):
        sink = Sink(refuse=refuse)
        controller = Controller(sink, hostname="127.0.0.1", port=closed_port())
        controller.start()
        servers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return sink

    yield start
    for controller in servers:
        controller.stop()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(to="mottaker@example.org", **kwargs):
    kwargs.setdefault("kind", "test.message")
    message = EmailMessage(subject="Hei", body="Tekst", to=[to])
    return queue_email(message, **kwargs)


def test_queued_message_is_sent_after_commit_and_recorded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue()
        assert mail.outbox == []  # nothing leaves before the commit
    assert [m.to for m in mail.outbox] == [["mottaker@example.org"]]
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT
    assert outbound.attempts == 1
    assert outbound.sent_at is not None
    assert (outbound.recipient, outbound.subject, outbound.body) == (
        "mottaker@example.org",
        "Hei",
        "Tekst",
    )


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("the workflow fails")
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []


def test_a_task_run_twice_sends_once():
    outbound = queue()  # the test's transaction never commits: the task is run by hand
    assert deliver_message.apply(args=[outbound.pk]).get() == "sent"
    assert deliver_message.apply(args=[outbound.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundMessage.Status.SENT, 1)


def test_the_same_logical_message_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(kind="test.receipt")
        second = queue(kind="test.receipt")
    assert first is not None and second is None
    assert OutboundMessage.objects.get().key == "test.receipt:-:-"
    assert len(mail.outbox) == 1


def test_a_deliberate_send_again_has_its_own_occasion(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(kind="test.reminder", about=admin_user, occasion="reminder-1")
        again = queue(kind="test.reminder", about=admin_user, occasion="reminder-1")
        resent = queue(kind="test.reminder", about=admin_user, occasion="reminder-2")
    assert first is not None and again is None and resent is not None
    assert resent.key == f"test.reminder:auth.user:{admin_user.pk}:reminder-2"
    assert len(mail.outbox) == 2


def test_the_key_names_the_record_by_app_and_id(admin_user):
    outbound = queue(kind="test.about", about=admin_user)
    assert outbound.key == f"test.about:auth.user:{admin_user.pk}"
    assert (outbound.about_app, outbound.about_id) == ("auth.user", admin_user.pk)
    assert admin_user.username not in outbound.key


def test_a_refusing_mail_server_leads_to_retries_then_failed(
    smtp_server, django_capture_on_commit_callbacks
):
    sink = smtp_server(refuse=True)
    with django_capture_on_commit_callbacks(execute=False):
        outbound = queue()
    # In a worker: the task retries (eagerly here, without the backoff's waits).
    deliver_message.apply(args=[outbound.pk])
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.FAILED
    assert outbound.attempts == MAX_RETRIES + 1
    assert "550" in outbound.last_error
    assert outbound.sent_at is None
    assert sink.received == []


def test_a_closed_port_leads_to_retries_then_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    with django_capture_on_commit_callbacks(execute=False):
        outbound = queue()
    deliver_message.apply(args=[outbound.pk])
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.FAILED
    assert outbound.attempts == MAX_RETRIES + 1
    assert "ConnectionRefusedError" in outbound.last_error


def test_without_a_broker_a_failing_mail_server_costs_the_request_one_attempt(
    smtp_server, django_capture_on_commit_callbacks
):
    sink = smtp_server(refuse=True)
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue()
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundMessage.Status.FAILED, 1)
    assert "550" in outbound.last_error
    assert sink.received == []


def test_backoff_grows_exponentially_and_is_capped():
    assert [backoff(n) for n in range(4)] == [30, 60, 120, 240]
    assert backoff(MAX_RETRIES) <= 3600


def test_resend_sends_a_failed_message_once_and_is_audited(
    smtp_server, project_leader, django_capture_on_commit_callbacks
):
    smtp_server(refuse=True)
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue()
    sink = smtp_server()  # the mail server is back (a new one that accepts)
    with django_capture_on_commit_callbacks(execute=True):
        resend_message(outbound, by=project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        resend_message(outbound, by=project_leader)  # sent already: not again
    assert len(sink.received) == 1
    assert sink.received[0].rcpt_tos == ["mottaker@example.org"]
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT
    entry = AuditEntry.objects.get(action="core.outboundmessage.resent")
    assert entry.actor == project_leader
    assert entry.object_id == outbound.pk


def failed_messages(count):
    rows = []
    for number in range(count):
        outbound = queue(to=f"mottaker{number}@example.org", occasion=number)
        rows.append(outbound)
    OutboundMessage.objects.update(status=OutboundMessage.Status.FAILED, attempts=9)
    return rows


@pytest.mark.parametrize("count", [2, 10])
def test_staff_page_lists_failed_messages_in_constant_queries(
    client, project_leader, count, django_assert_max_num_queries
):
    failed_messages(count)
    client.force_login(project_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:outbound_messages"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('action="/stab/utgaende-epost/') == count
    assert "mottaker0@example.org" in page


def test_staff_page_access(client, juror, nobody, project_leader):
    url = reverse("core:outbound_messages")
    response = client.get(url)
    assert response.status_code == 302
    for user in (nobody, juror):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(project_leader)
    assert client.get(url).status_code == 200


def test_staff_resend_from_the_page(
    client, project_leader, nobody, django_capture_on_commit_callbacks
):
    (outbound,) = failed_messages(1)
    url = reverse("core:outbound_message_resend", args=[outbound.pk])
    client.force_login(nobody)
    assert client.post(url).status_code == 403
    client.force_login(project_leader)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("core:outbound_messages")
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT


def test_dashboard_panel_counts_failed_messages_for_staff(client, project_leader, nobody):
    failed_messages(3)
    client.force_login(project_leader)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-count="failed-messages">3<' in page
    assert reverse("core:outbound_messages") in page
    client.force_login(nobody)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "failed-messages" not in page


@pytest.mark.parametrize("count", [2, 10])
def test_api_lists_messages_for_staff_only(
    api_as, project_leader, nobody, count, django_assert_max_num_queries, check_schema
):
    failed_messages(count)
    url = "/api/v1/outbound-messages/"
    assert api_as(None).get(url).status_code in (401, 403)
    assert api_as(nobody).get(url).status_code == 403
    with django_assert_max_num_queries(8):
        response = api_as(project_leader).get(url)
    assert response.status_code == 200
    check_schema(response)
    assert {row["status"] for row in response.json()["results"]} == {"failed"}


def test_api_resend(api_as, project_leader, nobody, django_capture_on_commit_callbacks):
    (outbound,) = failed_messages(1)
    url = f"/api/v1/outbound-messages/{outbound.pk}/resend/"
    assert api_as(nobody).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(project_leader).post(url)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT


# Retention -------------------------------------------------------------------------------


def test_retention_deletes_sent_and_failed_messages_older_than_the_setting(settings):
    settings.OUTBOUND_RETENTION_DAYS = 90
    now = timezone.now()
    old_sent, old_failed, old_queued, recent = (queue(occasion=n) for n in range(4))
    OutboundMessage.objects.filter(pk__in=[old_sent.pk, recent.pk]).update(
        status=OutboundMessage.Status.SENT
    )
    OutboundMessage.objects.filter(pk=old_failed.pk).update(status=OutboundMessage.Status.FAILED)
    OutboundMessage.objects.filter(pk=old_queued.pk).update(status=OutboundMessage.Status.QUEUED)
    OutboundMessage.objects.exclude(pk=recent.pk).update(created_at=now - timedelta(days=92))
    OutboundMessage.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=80))
    runs = {run.rule.key: run for run in apply_retention()}
    assert sorted(r.pk for r in runs[OUTBOUND_MESSAGES].records) == sorted(
        [old_sent.pk, old_failed.pk]
    )
    assert runs[OUTBOUND_MESSAGES].cleared == 2
    # A message still waiting to be sent is left; a recent one too.
    assert set(OutboundMessage.objects.values_list("pk", flat=True)) == {old_queued.pk, recent.pk}
    assert {run.rule.key: run for run in apply_retention()}[OUTBOUND_MESSAGES].cleared == 0


def test_staff_resend_from_the_admin_action(
    client, project_leader, django_capture_on_commit_callbacks
):
    first, second = failed_messages(2)
    client.force_login(project_leader)
    url = reverse("admin:core_outboundmessage_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "resend", "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == [
        "mottaker0@example.org",
        "mottaker1@example.org",
    ]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {
        OutboundMessage.Status.SENT
    }
