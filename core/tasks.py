"""Background tasks of the platform: delivering outbound messages (core.mail), sweeping up
those whose enqueue was lost, and the nightly retention and session clean-up (scheduled in
config.settings CELERY_BEAT_SCHEDULE)."""

import logging
from datetime import timedelta
from smtplib import SMTPException, SMTPRecipientsRefused

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import email_payload, reach, sms, stamps
from core.jobs import requeue_stalled
from core.models import OutboundMessage

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def load_email(message: OutboundMessage) -> EmailMultiAlternatives:
    """The email as core.mail.queue_email() described it (core.email_payload)."""
    return email_payload.rebuild(message.payload)


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 30 s, 1 min, 2 min ... an hour at most
    (the first is OUTBOUND_RETRY_BACKOFF_SECONDS)."""
    return min(settings.OUTBOUND_RETRY_BACKOFF_SECONDS * 2**retries, 3600)


def hard_email_failure(error: Exception) -> str:
    """The reason, when the mail server refused the recipient for good (a 5xx answer to
    RCPT TO), else "": then trying again cannot help."""
    if isinstance(error, SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return "; ".join(
                f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                for code, text in error.recipients.values()
            )[:300]
    return ""


def _send(message: OutboundMessage) -> str:
    """Send through the message's channel; return the provider's id (SMS) or ""."""
    if message.channel == OutboundMessage.Channel.SMS:
        provider = sms.provider()
        if provider is None:
            raise sms.SmsError("No SMS provider is configured (SMS_PROVIDER)", permanent=True)
        return provider.send(
            message.recipient, message.body, status_callback=sms.status_callback_url()
        )
    load_email(message).send()
    return ""


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def deliver_message(self, message_id: int) -> str:
    """Send one outbound message, an email through Django's email backend or an SMS
    through the SMS provider (core.sms), once.

    The row is locked for the send (select_for_update), so a second run of the task
    (a retry, a redelivery after a worker died) waits, then sees it sent and does nothing.
    A failure of the mail server or the provider counts an attempt, stores the error and
    retries with exponential backoff; when the retries are used up the message is marked
    failed, for staff to resend (core.views.outbound_messages). A hard failure (the mail
    server refuses the recipient with a 5xx, the provider refuses the number) fails the
    message at once and marks the address as failing (core.reach); a success clears it.
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
            provider_ref = _send(message)
        except (SMTPException, OSError, sms.SmsError) as error:
            hard = hard_email_failure(error)
            permanent = bool(hard) or getattr(error, "permanent", False)
            failed_for_good = permanent or self.request.retries >= self.max_retries
            OutboundMessage.objects.filter(pk=message.pk).update(
                attempts=F("attempts") + 1,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                status=(
                    OutboundMessage.Status.FAILED
                    if failed_for_good
                    else OutboundMessage.Status.QUEUED
                ),
            )
            if hard or getattr(error, "number_failed", False):
                for address in message.recipient.split(", "):
                    reach.mark_failing(
                        message.channel, address, hard or str(error), message=message
                    )
            logger.warning(
                "Outbound message %s (%s, %s) not sent, attempt %s: %s",
                message.pk,
                message.kind,
                message.channel,
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
                provider_ref=provider_ref,
            )
            # An email accepted by the server reached the address; an SMS is known to have
            # reached the number only from the provider's callback (core.sms).
            if message.channel == OutboundMessage.Channel.EMAIL:
                for address in message.recipient.split(", "):
                    reach.clear_failing(message.channel, address)
            return "sent"
    # Retry outside the transaction, so the attempt and the error stay recorded.
    raise self.retry(countdown=backoff(self.request.retries))


# Longer than a delivery waits for a free worker: a message queued this long with no
# attempt was never enqueued (the process died after the commit, the broker was down).
STALLED_AFTER = timedelta(minutes=5)


@shared_task(acks_late=True)
def requeue_stalled_messages() -> int:
    """Enqueue the delivery of each message still queued, with no attempt, for longer than
    STALLED_AFTER (core.jobs.requeue_stalled); scheduled every few minutes. Returns how
    many."""
    waiting = OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, attempts=0)
    return requeue_stalled(waiting, deliver_message, older_than=STALLED_AFTER)


@shared_task(acks_late=True)
def apply_retention() -> int:
    """Run every retention rule for today (nightly); returns how many records it cleared.

    Idempotent: what a rule cleared is not due again, so a second run clears nothing.
    """
    from core.retention import apply_retention as run_rules

    runs = run_rules()
    for run in runs:
        if run.cleared:
            logger.info("Retention %s: %s records cleared", run.rule.key, run.cleared)
    return sum(run.cleared for run in runs)


@shared_task(acks_late=True)
def prune_change_stamps() -> int:
    """Delete the change-stamp rows no longer needed (nightly; core.stamps)."""
    return stamps.prune_change_stamps()


@shared_task(acks_late=True)
def clear_sessions() -> None:
    """Delete the expired sessions (nightly), as Django's clearsessions command does."""
    call_command("clearsessions")


@shared_task(acks_late=True)
def send_due_messages() -> int:
    """Send what is due now (core.due; every minute). Returns how many messages it queued."""
    from core import due

    return sum(run.queued for run in due.send_due_messages())
