"""The scheduled task of ticketing (ticketing.tasks), run as the beat runs it: twice in a
row, the second run does nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboundMessage
from ticketing.models import Registration
from ticketing.services import cancel_registration
from ticketing.tasks import expire_waitlist_offers

pytestmark = pytest.mark.django_db


def test_expiring_waitlist_offers_twice_expires_them_once(
    make_registration, django_capture_on_commit_callbacks
):
    holders = [make_registration(f"H{n}", email=f"h{n}@example.org") for n in range(10)]
    first = make_registration("W1", email="w1@example.org", join_waitlist=True)
    second = make_registration("W2", email="w2@example.org", join_waitlist=True)
    cancel_registration(registration=holders[0], by=None)
    Registration.objects.filter(pk=first.pk).update(
        waitlist_offer_expires_at=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_waitlist_offers.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_waitlist_offers.apply().get() == 0  # nothing left to expire

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Registration.State.CANCELLED
    assert second.has_open_waitlist_offer  # the place passed on, once
    expired = [m for m in mail.outbox if m.to == ["w1@example.org"]]
    assert len(expired) == 1
    assert OutboundMessage.objects.filter(kind="ticketing.waitlist_expired").count() == 1
    assert OutboundMessage.objects.filter(kind="ticketing.waitlist_offer").count() == 2
