"""Two runs of deliver_message for one message at the same moment (a redelivery while the
first still runs, the sweeper's copy beside the original) send it once: the first claims
the row (select_for_update) for the send, the second waits, then finds it sent. Real
threads on PostgreSQL, a real SMTP server that answers slowly. The sweeper of lost
enqueues skips a message being sent rather than wait for it."""

import asyncio
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from core import email_payload
from core.models import OutboundMessage
from core.tasks import STALLED_AFTER, deliver_message, requeue_stalled_messages
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class SlowSink:
    """Accepts each message after a second: the first send still runs when the second starts."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(1)
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def slow_smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SlowSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield sink
    controller.stop()


@pytest.mark.parametrize("runs", [2, 4])
def test_concurrent_deliveries_of_one_message_send_it_once(slow_smtp, runs):
    email = EmailMessage(subject="Billetter", body="Tekst", to=["kjoper@example.org"])
    # The row as core.mail.queue_email writes it; its own enqueue is left out, so that
    # only the concurrent runs below deliver it.
    outbound = OutboundMessage.objects.create(
        key="test.concurrent:-:-",
        kind="test.concurrent",
        recipient="kjoper@example.org",
        subject=email.subject,
        body=email.body,
        payload=email_payload.describe(email),
    )

    results = run_together(runs, lambda _i: deliver_message.apply(args=[outbound.pk]).get())

    assert sorted(results) == ["sent"] + ["skipped"] * (runs - 1), results
    assert len(slow_smtp.received) == 1
    assert slow_smtp.received[0].rcpt_tos == ["kjoper@example.org"]
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundMessage.Status.SENT, 1)


def test_the_sweeper_skips_a_message_being_sent(slow_smtp):
    email = EmailMessage(subject="Billetter", body="Tekst", to=["kjoper@example.org"])
    outbound = OutboundMessage.objects.create(
        key="test.stalled:-:-",
        kind="test.stalled",
        recipient="kjoper@example.org",
        subject=email.subject,
        body=email.body,
        payload=email_payload.describe(email),
        queued_at=timezone.now() - STALLED_AFTER - timedelta(minutes=1),
    )
    locked, done = threading.Event(), threading.Event()

    def sending():  # a delivery that holds the row, as deliver_message does while it sends
        try:
            with transaction.atomic():
                OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
                locked.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=sending)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert requeue_stalled_messages.apply().get() == 0  # skipped, not waited for
    finally:
        done.set()
        thread.join()
    assert slow_smtp.received == []
