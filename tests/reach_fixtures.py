"""Fixtures for tests of what is sent: a real SMTP server on 127.0.0.1 (aiosmtpd) that keeps
what it receives, and the local fake of Twilio's Messages API with the SMS settings pointed
at it. Every test may ask for them (tests/conftest.py loads this module as a plugin).

    sink = smtp()              # start a server; sink.received: email.message.Message list
    fake = twilio()            # start the fake; fake.messages: what it was asked to send
"""

import email

import pytest
from aiosmtpd.controller import Controller

from tests.core.test_outbound_messages import closed_port
from tests.fake_twilio import FakeTwilio

SID, TOKEN = "AC" + "1" * 32, "test-auth-token"


@pytest.fixture
def twilio(settings):
    """The fake Twilio API on 127.0.0.1, with the SMS settings pointed at it."""
    fakes = []

    def start(script=()):
        fake = FakeTwilio(SID, TOKEN, script)
        fakes.append(fake)
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
        settings.TWILIO_FROM = "+4790000000"
        settings.TWILIO_API_URL = fake.url
        settings.SMS_TIMEOUT_SECONDS = 1
        settings.SITE_URL = "https://kulturvest.example"
        return fake

    yield start
    for fake in fakes:
        fake.stop()


class Sink:
    """An SMTP handler that keeps what it receives, refusing the recipients named."""

    def __init__(self, refuse_rcpt=()):
        self.refuse_rcpt = set(refuse_rcpt)
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    controllers = []

    def start(refuse_rcpt=()):
        sink = Sink(refuse_rcpt)
        controller = Controller(sink, hostname="127.0.0.1", port=closed_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        settings.SITE_URL = "https://kulturvest.example"
        return sink

    yield start
    for controller in controllers:
        controller.stop()
