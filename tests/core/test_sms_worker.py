"""A real Celery worker delivers an SMS through the provider once, retrying with backoff
when the provider fails (core.mail.queue_sms, core.tasks, against tests/fake_twilio.py).

Runs only on PostgreSQL (the worker is another process on the same test database) and
when Redis answers on 127.0.0.1:6379; the broker is Redis database 14, emptied first
(tests/celery_worker.py).
"""

import time

import pytest

from core.mail import queue_sms
from core.models import OutboundMessage
from tests.celery_worker import run_worker, wait_while_queued, worker_test_marks
from tests.fake_twilio import FakeTwilio

BROKER = "redis://127.0.0.1:6379/14"
SID, TOKEN = "AC" + "2" * 32, "worker-token"

pytestmark = worker_test_marks(BROKER)


@pytest.fixture
def fake():
    # The first call fails as Twilio does when it is down; the retry gets through.
    fake = FakeTwilio(SID, TOKEN, script=[("error", 503, 20500)])
    yield fake
    fake.stop()


@pytest.fixture
def worker(fake, settings):
    sms = {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM": "+4790000000",
        "TWILIO_API_URL": fake.url,
    }
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_FROM, settings.TWILIO_API_URL = "+4790000000", fake.url
    with run_worker(BROKER, settings, {**sms, "OUTBOUND_RETRY_BACKOFF_SECONDS": "1"}) as process:
        yield process


def test_a_real_worker_retries_the_provider_and_sends_the_sms_once(worker, fake):
    outbound = queue_sms("+4791234567", "Øvingen er flyttet", kind="test.sms", category="notice")
    wait_while_queued(outbound)
    assert outbound.status == OutboundMessage.Status.SENT
    assert worker.poll() is None
    time.sleep(1.5)  # a second delivery would show here
    assert len(fake.requests) == 2  # the failed call and the retry, nothing more
    assert fake.requests[1]["form"]["To"] == "+4791234567"
    assert outbound.attempts == 2
    assert outbound.provider_ref.startswith("SM")
