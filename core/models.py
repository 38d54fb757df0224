"""The audit trail: one entry for every change a service makes to someone's record."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which record, when, and which fields changed (core.audit).

    Written by the services through ``core.audit.log_action()`` only. The object is named
    by its kind and number, never by ``str()``, so that no child's name lands here; the
    changes hold ``field: [old, new]``, or ``"changed"`` for a field whose values are
    personal data that a retention rule clears (core.audit.compute_changes).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the system (a scheduled job)."),
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("record"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="core_audit_object_at"),
            models.Index(fields=["at"], name="core_audit_at"),
        ]

    def __str__(self):
        return f"{self.action} · {self.object_repr}"


class OutboundMessage(models.Model):
    """One email to send, recorded in the transaction of the workflow that writes it
    (core.mail.queue_email), before it goes out.

    Delivered by the task core.tasks.deliver_message, retried with backoff when the mail
    server fails. The key names the logical message (``ticketing.tickets:ticketing
    .registration:<id>``, see queue_email) and is unique, so a message queued twice or a
    task run twice is sent once. What it is about is named by app label and id, never by a
    person's name.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=100)
    # One address, or several separated by ", " (one email to all of them).
    recipient = models.CharField(_("recipient"), max_length=1000)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # The whole message as built (attachments, inline QR codes), as JSON
    # (core.email_payload): core.tasks rebuilds the email from it.
    payload = models.JSONField(_("message"), default=dict, editable=False)
    about_app = models.CharField(_("about (app)"), max_length=50, blank=True)
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When its delivery was last enqueued (written, resent, swept up by
    # core.tasks.requeue_stalled_messages): one queued longer without an attempt was lost.
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "queued_at"], name="core_outbound_stalled_idx"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
