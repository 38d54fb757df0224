"""Payment races on PostgreSQL with real threads: the provider's callback twice at once,
and the callback racing the poller, are one payment and one capture."""

import pytest
from django.test import Client

from tests.concurrency import run_together
from tests.factories import EventFactory
from tests.fake_vipps import signed_headers
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Payment, PaymentAttempt, Registration
from ticketing.payments import services as pay
from ticketing.services import TicketRequest, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALLBACK = "/payments/vipps/webhook/"


def _registration():
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, size=10)
    offer = OfferFactory(event=event, pool=pool, price=150)
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
        name="Kari",
        email="kari@example.org",
        by=None,
    )
    return registration


def test_two_callbacks_at_once_are_one_payment(vipps):
    fake = vipps(webhooks=[2])
    registration = _registration()
    attempt = pay.start_payment(
        registration=registration, provider_key="vipps", return_url="https://x.example/back"
    )
    fake.pay(attempt.reference)
    bodies = [body for _reference, body in fake.pending_webhooks]
    assert len(bodies) == 2

    def callback(i):
        headers = signed_headers(CALLBACK, "testserver", bodies[i])
        headers.pop("Content-Type")
        return (
            Client()
            .post(CALLBACK, bodies[i], content_type="application/json", headers=headers)
            .status_code
        )

    assert run_together(2, callback) == [200, 200]
    assert Payment.objects.filter(registration=registration).count() == 1
    assert len([r for r in fake.requests if r["path"].endswith("/capture")]) == 1
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED


def test_the_callback_and_the_poller_at_once_are_one_payment(vipps):
    fake = vipps(webhooks=[1])
    registration = _registration()
    attempt = pay.start_payment(
        registration=registration, provider_key="vipps", return_url="https://x.example/back"
    )
    fake.pay(attempt.reference)
    _reference, body = fake.pending_webhooks[0]

    def work(i):
        if i == 0:
            headers = signed_headers(CALLBACK, "testserver", body)
            headers.pop("Content-Type")
            return (
                Client()
                .post(CALLBACK, body, content_type="application/json", headers=headers)
                .status_code
            )
        return pay.check_payment(PaymentAttempt.objects.get(pk=attempt.pk)).state

    results = run_together(2, work)
    assert results[0] == 200 and results[1] == PaymentAttempt.State.PAID
    assert Payment.objects.filter(registration=registration).count() == 1
