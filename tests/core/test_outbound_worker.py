"""A real Celery worker delivers an outbound message once (core.mail, core.tasks).

Runs only on PostgreSQL (the worker is another process on the same test database) and
when Redis answers on 127.0.0.1:6379; the broker is Redis database 7, emptied first.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django.db import connection

from config.celery import app
from core.mail import queue_email
from core.models import OutboundMessage
from tests.core.test_outbound_messages import Sink, closed_port

BROKER = "redis://127.0.0.1:6379/7"
ROOT = Path(__file__).resolve().parents[2]


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379"),
]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=closed_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def worker(smtp_sink, settings):
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    _sink, port = smtp_sink
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
    }
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    settings.CELERY_BROKER_URL = BROKER
    before = app.conf.broker_url
    app.conf.broker_url = BROKER
    yield process
    app.conf.broker_url = before
    process.terminate()
    process.wait(timeout=20)


def test_a_real_worker_sends_the_message_once(worker, smtp_sink):
    sink, _port = smtp_sink
    outbound = queue_email(
        EmailMessage(subject="Billetter", body="Tekst", to=["kjoper@example.org"]),
        kind="test.worker",
    )  # autocommit: the task goes to Redis at once
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        outbound.refresh_from_db()
        if outbound.status != OutboundMessage.Status.QUEUED:
            break
        time.sleep(0.25)
    assert outbound.status == OutboundMessage.Status.SENT
    assert worker.poll() is None
    time.sleep(1)  # a second delivery would show here
    assert len(sink.received) == 1
    assert sink.received[0].rcpt_tos == ["kjoper@example.org"]
    assert outbound.attempts == 1
