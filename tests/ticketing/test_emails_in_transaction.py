"""A workflow's email is recorded inside the workflow's transaction (core.mail
.queue_in_transaction): it commits with the registration or not at all, a template error
costs the email, not the registration, and a delivery whose enqueue was lost is swept up
(core.tasks.requeue_stalled_messages). Each logical email has one key: built twice, it is
queued once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.mail import queue_email, queue_in_transaction
from core.models import OutboundMessage
from core.tasks import STALLED_AFTER, deliver_message, requeue_stalled_messages
from ticketing import emails
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


def test_the_message_is_written_in_the_workflows_transaction(
    make_registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = make_registration("Kari Nordmann")
        # Before the commit, in the same transaction: the message is there, not yet sent.
        outbound = OutboundMessage.objects.get()
        assert (outbound.kind, outbound.about_id) == ("ticketing.tickets", registration.pk)
        assert outbound.status == OutboundMessage.Status.QUEUED
    assert mail.outbox == []
    assert len(callbacks) == 1  # the delivery is enqueued on commit, nothing else
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]


def test_nothing_is_recorded_when_the_workflow_rolls_back(make_registration):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_registration("Kari Nordmann")
        raise RuntimeError("the request fails after the service")
    assert not Registration.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_a_template_error_costs_the_email_not_the_registration(
    make_registration, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ValueError("a template bug")

    monkeypatch.setattr(emails, "render_to_string", broken)
    with django_capture_on_commit_callbacks(execute=True):
        registration = make_registration("Kari Nordmann")
    assert Registration.objects.get().pk == registration.pk
    assert registration.tickets.count() == 1
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []
    assert "Email not built" in caplog.text


def test_a_failed_build_undoes_only_what_it_wrote(django_capture_on_commit_callbacks):
    def build():
        queue_email(
            mail.EmailMessage(subject="Hei", body="Tekst", to=["kari@example.org"]),
            kind="test.half_built",
        )
        raise ValueError("the build fails after queueing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue_in_transaction(build)
    assert not OutboundMessage.objects.exists()
    assert callbacks == []  # its delivery went with its savepoint
    assert mail.outbox == []


def lost(**fields):
    """A message committed whose enqueue never happened (the process died after commit)."""
    outbound = queue_email(
        mail.EmailMessage(subject="Hei", body="Tekst", to=["kari@example.org"]),
        kind="test.lost",
        occasion=OutboundMessage.objects.count(),
    )
    OutboundMessage.objects.filter(pk=outbound.pk).update(**fields)
    return outbound


def test_the_sweeper_enqueues_a_lost_message_once(django_capture_on_commit_callbacks):
    long_ago = timezone.now() - STALLED_AFTER - timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=False):
        outbound = lost(queued_at=long_ago)
        recent = lost(queued_at=timezone.now() - timedelta(minutes=1))
        lost(queued_at=long_ago, attempts=1)  # a retry is scheduled: not lost
        lost(queued_at=long_ago, status=OutboundMessage.Status.SENT)
        lost(queued_at=long_ago, status=OutboundMessage.Status.FAILED)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled_messages.apply().get() == 1
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.SENT

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled_messages.apply().get() == 0  # the second run does nothing
    assert len(mail.outbox) == 1
    recent.refresh_from_db()
    assert recent.status == OutboundMessage.Status.QUEUED


def test_a_swept_message_whose_first_enqueue_arrives_late_is_sent_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        outbound = lost(queued_at=timezone.now() - STALLED_AFTER * 2)
    # The broker was slow, not down: the original task and the sweeper's both run.
    with django_capture_on_commit_callbacks(execute=True):
        requeue_stalled_messages.apply()
    assert deliver_message.apply(args=[outbound.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    # Swept: marked queued again now, so the next sweep leaves it for STALLED_AFTER.
    assert outbound.queued_at > timezone.now() - STALLED_AFTER


def test_the_tickets_built_twice_are_one_message(
    make_registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = make_registration("Kari Nordmann")
        # The same logical send again (a retried build, a workflow run twice).
        queue_in_transaction(emails.send_tickets, registration.pk)
    assert OutboundMessage.objects.get().key == (
        f"ticketing.tickets:ticketing.registration:{registration.pk}"
    )
    assert len(mail.outbox) == 1


def test_received_while_waitlisted_then_pending_are_two_messages(
    make_registration, offer, pool, django_capture_on_commit_callbacks
):
    from ticketing.services import accept_waitlist_offer, cancel_registration

    offer.requires_approval = True
    offer.save(update_fields=["requires_approval"])
    with django_capture_on_commit_callbacks(execute=True):
        first = make_registration(*[f"Gjest {n}" for n in range(pool.size)])
        waiting = make_registration("Kari Nordmann", email="venter@example.org", join_waitlist=True)
        assert waiting.state == Registration.State.WAITLISTED
        cancel_registration(registration=first, by=None)
        waiting.refresh_from_db()
        accept_waitlist_offer(registration=waiting, by=None)
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.PENDING
    keys = set(
        OutboundMessage.objects.filter(about_id=waiting.pk, kind="ticketing.received").values_list(
            "key", flat=True
        )
    )
    prefix = f"ticketing.received:ticketing.registration:{waiting.pk}"
    assert keys == {f"{prefix}:waitlisted", f"{prefix}:pending"}
    # Waitlisted, offered a place, received as pending: three emails to the buyer.
    assert sum(m.to == ["venter@example.org"] for m in mail.outbox) == 3
