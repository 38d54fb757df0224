"""A real Celery worker delivers an SMS through the provider once, retrying with backoff
when the provider fails (core.mail.queue_sms, core.tasks, against tests/fake_twilio.py).

Runs only on PostgreSQL (the worker is another process on the same test database) and
when Redis answers on 127.0.0.1:6379; the broker is Redis database 14, emptied first.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app
from core.mail import queue_sms
from core.models import OutboundMessage
from tests.fake_twilio import FakeTwilio

BROKER = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]
SID, TOKEN = "AC" + "2" * 32, "worker-token"


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
def fake():
    # The first call fails as Twilio does when it is down; the retry gets through.
    fake = FakeTwilio(SID, TOKEN, script=[("error", 503, 20500)])
    yield fake
    fake.stop()


@pytest.fixture
def worker(fake, settings):
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    database = connection.settings_dict
    sms = {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM": "+4790000000",
        "TWILIO_API_URL": fake.url,
    }
    env = {
        **os.environ,
        **sms,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": BROKER,
        "OUTBOUND_RETRY_BACKOFF_SECONDS": "1",
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
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_FROM, settings.TWILIO_API_URL = "+4790000000", fake.url
    before = app.conf.broker_url
    app.conf.broker_url = BROKER
    yield process
    app.conf.broker_url = before
    process.terminate()
    process.wait(timeout=20)


def test_a_real_worker_retries_the_provider_and_sends_the_sms_once(worker, fake):
    outbound = queue_sms("+4791234567", "Øvingen er flyttet", kind="test.sms", category="notice")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        outbound.refresh_from_db()
        if outbound.status != OutboundMessage.Status.QUEUED:
            break
        time.sleep(0.25)
    assert outbound.status == OutboundMessage.Status.SENT
    assert worker.poll() is None
    time.sleep(1.5)  # a second delivery would show here
    assert len(fake.requests) == 2  # the failed call and the retry, nothing more
    assert fake.requests[1]["form"]["To"] == "+4791234567"
    assert outbound.attempts == 2
    assert outbound.provider_ref.startswith("SM")
