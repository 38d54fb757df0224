"""Background tasks of the platform: delivering outbound messages (core.mail)."""

import logging
import pickle
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import OutboundMessage

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def load_email(message: OutboundMessage) -> EmailMessage:
    """The message as core.mail.queue_email() pickled it (from our own table only)."""
    return pickle.loads(bytes(message.payload))  # noqa: S301


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 30 s, 1 min, 2 min ... an hour at most
    (the first is OUTBOUND_RETRY_BACKOFF_SECONDS)."""
    return min(settings.OUTBOUND_RETRY_BACKOFF_SECONDS * 2**retries, 3600)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def deliver_message(self, message_id: int) -> str:
    """Send one outbound message through Django's email backend, once.

    The row is locked for the send (select_for_update), so a second run of the task
    (a retry, a redelivery after a worker died) waits, then sees it sent and does nothing.
    A mail server failure counts an attempt, stores the error and retries with
    exponential backoff; when the retries are used up the message is marked failed,
    for staff to resend (core.views.outbound_messages).
    """
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboundMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return "skipped"  # sent (or failed for good) already: never twice
        try:
            load_email(message).send()
        except (SMTPException, OSError) as error:
            failed_for_good = self.request.retries >= self.max_retries
            OutboundMessage.objects.filter(pk=message.pk).update(
                attempts=F("attempts") + 1,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                status=(
                    OutboundMessage.Status.FAILED
                    if failed_for_good
                    else OutboundMessage.Status.QUEUED
                ),
            )
            logger.warning(
                "Outbound message %s (%s) not sent, attempt %s: %s",
                message.pk,
                message.kind,
                message.attempts + 1,
                type(error).__name__,
            )
            if failed_for_good:
                return "failed"
        else:
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=OutboundMessage.Status.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                last_error="",
            )
            return "sent"
    # Retry outside the transaction, so the attempt and the error stay recorded.
    raise self.retry(countdown=backoff(self.request.retries))
