"""Sending email and SMS: every email (and SMS, queue_sms) is an outbound message
(core.models.OutboundMessage), written in the transaction of the workflow that sends it
(queue_in_transaction), stored as JSON (core.email_payload; an SMS's text in its body),
delivered by a background task (core.tasks.deliver_message) after commit, retried with
backoff when the mail server or the SMS provider fails, and sent once per key.
"""

import logging

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit, email_payload, reach, sms
from core.jobs import enqueue
from core.models import OutboundMessage
from core.tasks import deliver_message

logger = logging.getLogger(__name__)


def queue_in_transaction(build, *args) -> None:
    """Call build(*args) now, inside the caller's transaction, in a savepoint.

    ``build`` reads its records (as the workflow left them) and records its email with
    queue_email(), so the outbound message commits with the workflow or not at all: no
    process can die between the commit and the build and lose it. The delivery itself is
    enqueued on commit. A failure while building (a template error) is logged, not raised,
    and the savepoint undoes only the build: what the workflow saved stays saved.
    """
    try:
        with transaction.atomic():
            build(*args)
    except Exception:
        logger.exception("Email not built: %s", getattr(build, "__qualname__", build))


def queue_email(
    message: EmailMessage,
    *,
    kind: str,
    about=None,
    occasion: object = "",
    category: str = "",
) -> OutboundMessage | None:
    """Record ``message`` as an outbound message and deliver it after commit.

    Each logical message has one idempotency key, never a random one:
    ``<kind>:<app label.model of what it is about>:<its id>``, plus ``:<occasion>`` when the
    same kind of message about the same record is meant to go more than once. The occasion
    names what causes that send, from the records, not the clock of the request: the
    resend's own record or audit entry (a reminder staff send, by its id), the state it
    reports (a registration received while waitlisted, then pending), the season, a day.
    So the same logical send queued twice (a retried request, a workflow run again) is one
    message, and a deliberate resend, which has its own record, is another. The key names
    records by app label and id, never by a person's name. Returns the message, or None
    when a message with that key was queued before, or there is nobody to send to.

    ``category`` (core.reach.CATEGORIES): a non-essential message is not sent to an
    address that turned its category off, goes to one address at a time, and carries the
    one-click unsubscribe headers (RFC 8058); an essential one (or none given) carries none.
    """
    if not message.to:
        return None
    if category and not reach.category(category).essential:
        if len(message.to) != 1 or message.cc or message.bcc:
            raise ValueError("A non-essential email goes to one address at a time.")
        if reach.is_muted(message.to[0], category):
            return None
        message.extra_headers.update(reach.unsubscribe_headers(message.to[0], category))
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    return _queue(
        kind=kind,
        about=about,
        occasion=occasion,
        category=category,
        recipient=", ".join(message.to),
        subject=str(message.subject)[:300],
        body=message.body,
        html_body=html,
        payload=email_payload.describe(message),
    )


def queue_sms(
    to: str, body: str, *, kind: str, category: str, about=None, occasion: object = ""
) -> OutboundMessage | None:
    """Record an SMS to ``to`` (E.164, core.reach.normalise_mobile) and send it after commit.

    The key is built as queue_email() builds it, with ``:sms`` at the end, so an email and
    an SMS of the same logical message are two messages, each sent once. Returns None when
    no provider is configured, there is no number, or the message was queued before.
    """
    reach.category(category)
    if not to or not reach.sms_configured():
        return None
    return _queue(
        kind=kind,
        about=about,
        occasion=occasion,
        channel=OutboundMessage.Channel.SMS,
        category=category,
        recipient=to,
        subject="",
        body=body[: sms.MAX_LENGTH],
    )


def _queue(*, kind: str, about, occasion: object, **fields) -> OutboundMessage | None:
    """Record one logical message under its key (see queue_email(); an SMS's ends in
    ``:sms``) and deliver it after commit; None when that key was queued before."""
    about_app = about._meta.label_lower if about is not None else ""
    about_id = about.pk if about is not None else None
    key = f"{kind}:{about_app or '-'}:{about_id if about_id is not None else '-'}"
    if occasion not in ("", None):
        key += f":{occasion}"
    if fields.get("channel") == OutboundMessage.Channel.SMS:
        key += ":sms"
    try:
        with transaction.atomic():
            outbound = OutboundMessage.objects.create(
                key=key, kind=kind, about_app=about_app, about_id=about_id, **fields
            )
    except IntegrityError:
        return None  # queued before: the same logical message is sent once
    enqueue(deliver_message, outbound.pk)
    return outbound


@transaction.atomic
def resend_message(outbound: OutboundMessage, *, by) -> OutboundMessage:
    """Queue a failed (or still queued) message again; a sent one is not sent twice."""
    outbound = OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
    if outbound.status == OutboundMessage.Status.SENT:
        return outbound
    before = outbound.status
    outbound.status = OutboundMessage.Status.QUEUED
    outbound.attempts = 0
    outbound.queued_at = timezone.now()
    outbound.save(update_fields=["status", "attempts", "queued_at"])
    audit.log_action(
        outbound,
        "core.outboundmessage.resent",
        by,
        changes={"status": [before, outbound.status], "at": timezone.now()},
    )
    enqueue(deliver_message, outbound.pk)
    return outbound


def delete_messages_about(model, ids) -> int:
    """Delete the outbound messages about these records of ``model`` (by id), queued too.

    For erasure: a message that names a person (a guardian's mail names their child) goes
    with the person's data, before OUTBOUND_RETENTION_DAYS; one still queued is not sent.
    """
    deleted, _by_model = OutboundMessage.objects.filter(
        about_app=model._meta.label_lower, about_id__in=list(ids)
    ).delete()
    return deleted


# --- what staff read ---------------------------------------------------------------------


def messages_needing_attention():
    """Failed and still queued messages, failed first, newest first (one query)."""
    return OutboundMessage.objects.filter(
        status__in=[OutboundMessage.Status.FAILED, OutboundMessage.Status.QUEUED]
    ).order_by("status", "-created_at", "-pk")


def failed_messages_panel(user, now) -> dict | None:
    """The dashboard's "messages that failed" for staff: their count and the count of the
    addresses and numbers that fail (core.reach), when there are any."""
    count = OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED).count()
    failing = reach.failing_addresses().count()
    return {"failed": count, "failing": failing} if count or failing else None
