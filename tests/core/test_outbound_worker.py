"""A real Celery worker delivers an outbound message once (core.mail, core.tasks).

Runs only on PostgreSQL (the worker is another process on the same test database) and
when Redis answers on 127.0.0.1:6379; the broker is Redis database 7, emptied first
(tests/celery_worker.py).
"""

import time

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage

from core.mail import queue_email
from core.models import OutboundMessage
from tests.celery_worker import run_worker, wait_while_queued, worker_test_marks
from tests.core.test_outbound_messages import Sink, closed_port

BROKER = "redis://127.0.0.1:6379/7"

pytestmark = worker_test_marks(BROKER)


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=closed_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def worker(smtp_sink, settings):
    _sink, port = smtp_sink
    with run_worker(BROKER, settings, {"EMAIL_URL": f"smtp://127.0.0.1:{port}"}) as process:
        yield process


def test_a_real_worker_sends_the_message_once(worker, smtp_sink):
    sink, _port = smtp_sink
    outbound = queue_email(
        EmailMessage(subject="Billetter", body="Tekst", to=["kjoper@example.org"]),
        kind="test.worker",
    )  # autocommit: the task goes to Redis at once
    wait_while_queued(outbound)
    assert outbound.status == OutboundMessage.Status.SENT
    assert worker.poll() is None
    time.sleep(1)  # a second delivery would show here
    assert len(sink.received) == 1
    assert sink.received[0].rcpt_tos == ["kjoper@example.org"]
    assert outbound.attempts == 1
