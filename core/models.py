"""The audit trail: one entry for every change a service makes to someone's record."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone, translation
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
    """One email or SMS to send, recorded in the transaction of the workflow that writes it
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

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=100)
    # Email: sent through Django's email backend from the payload. SMS: sent through the
    # SMS provider (core.sms), the recipient a number in E.164, the text in ``body``.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    # The message category (core.reach.CATEGORIES): essential ones are always sent.
    category = models.CharField(_("category"), max_length=30, blank=True)
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
    # The provider's id of an SMS (Twilio's MessageSid), to match its status callbacks.
    provider_ref = models.CharField(_("provider's id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "queued_at"], name="core_outbound_stalled_idx"),
            models.Index(fields=["provider_ref"], name="core_outbound_provider_idx"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


def new_webhook_secret() -> str:
    """Return a new signing secret for a webhook endpoint (256 random bits, as hex)."""
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """An address another system gave us, to hear what happens here (core.webhooks).

    Each event it subscribes to is delivered to it as a signed POST (WebhookDelivery). A run
    of deliveries that failed for good (WEBHOOK_DISABLE_AFTER_FAILURES in a row) disables
    it, and staff are emailed; staff enable it again once the receiver is fixed.
    """

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=64, default=new_webhook_secret)
    # The event types (core.webhooks.EVENT_TYPES) it subscribes to.
    event_types = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("deliveries failed in a row"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(
        _("why it was disabled"), max_length=300, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self):
        return self.description or self.url

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in (self.event_types or [])


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with its attempts (core.webhooks).

    The key is the delivery's id for the receiver (the ``Kulturvest-Delivery`` header):
    a retry or a replay sends the same key, so a receiver can do its work once. The
    payload holds ids and public fields only, never a child's name or a contact.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_type = models.CharField(_("event"), max_length=50)
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Every attempt, the newest last: {"at" (ISO time), "status" (HTTP status or null),
    # "ms", "excerpt" (of the answer or the error)}; the last_* properties read the newest.
    attempt_log = models.JSONField(_("attempts made"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When its task was last handed to the broker (core.webhooks.requeue_stalled_deliveries).
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "queued_at"]),
        ]

    def __str__(self):
        return f"{self.event_type} #{self.pk}"

    @property
    def last_attempt(self) -> dict:
        return self.attempt_log[-1] if self.attempt_log else {}

    @property
    def last_status(self) -> int | None:
        """The newest attempt's HTTP status (None: no answer, or no attempt yet)."""
        return self.last_attempt.get("status")

    @property
    def last_response_ms(self) -> int | None:
        return self.last_attempt.get("ms")

    @property
    def last_response(self) -> str:
        """An excerpt of the newest attempt's answer, or its error."""
        return self.last_attempt.get("excerpt", "")

    @property
    def last_attempt_at(self):
        at = self.last_attempt.get("at")
        return datetime.fromisoformat(at) if at else None


class ChangeStamp(models.Model):
    """One bump of a change stamp (core.stamps): a write changed what `key` names.

    Append-only: the stamp's value is read from its rows (count and sum of ids) through
    the index on (key, id); the nightly prune keeps each key's newest row.
    """

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(_("key"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamps")
        indexes = [models.Index(fields=["key", "id"], name="core_changestamp_key_id")]

    def __str__(self):
        return self.key


class ContactPreference(models.Model):
    """How one person is reached (core.reach): their language, their mobile number and
    whether they want SMS, and the kinds of non-essential messages they do not want.

    One row per login; a person without a login (a ticket buyer) has one row per email
    address, written when they unsubscribe by the link in a message. Essential messages
    (core.reach.CATEGORIES) are sent whatever this says.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_preference",
    )
    # Only for a person without a login; a login's address is its own.
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    sms = models.BooleanField(_("messages by SMS"), default=True)
    email_enabled = models.BooleanField(_("messages by email"), default=True)
    # The non-essential categories (core.reach.CATEGORIES) this person does not want.
    muted = models.JSONField(_("categories not wanted"), default=list, blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(user__isnull=True),
                name="core_contactpref_email_uniq",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


class FailingAddress(models.Model):
    """An email address or mobile number a message could not reach for good (core.reach):
    a mail server refused the recipient (5xx) or the SMS provider reported the number
    undeliverable. Staff see the list; the person sees it on their page. A later message
    that reaches it deletes the row."""

    channel = models.CharField(_("channel"), max_length=10, choices=OutboundMessage.Channel.choices)
    address = models.CharField(_("address or number"), max_length=254)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    failures = models.PositiveIntegerField(_("failures"), default=1)
    first_failed_at = models.DateTimeField(_("first failed"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed"), default=timezone.now)

    class Meta:
        verbose_name = _("failing address")
        verbose_name_plural = _("failing addresses")
        ordering = ["-last_failed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="core_failing_uniq"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


class GroupMessage(models.Model):
    """A message staff write to an audience (core.group_messages): guardians of a group,
    an edition's artists, an event's attendees... in Norwegian and optionally English.

    Sent now or at ``scheduled_at`` (core.due); each recipient is a GroupMessageRecipient
    with its own outbound messages, so a message is sent to each address once.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Category(models.TextChoices):
        GROUP_MESSAGE = "group_message", _("Ordinary message (people may turn these off)")
        SAFETY = "safety", _("About a child's safety (always sent)")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The sender's address when it was written: the replies go there.
    reply_to = models.EmailField(_("replies to"), blank=True)
    audience = models.CharField(_("audience"), max_length=60)
    audience_params = models.JSONField(_("audience parameters"), default=dict, blank=True)
    # What the audience was, in words, when it was chosen (never a child's name).
    audience_label = models.CharField(_("recipients"), max_length=300, blank=True)
    category = models.CharField(
        _("kind of message"),
        max_length=30,
        choices=Category.choices,
        default=Category.GROUP_MESSAGE,
    )
    subject_nb = models.CharField(_("subject (Norwegian)"), max_length=200)
    text_nb = models.TextField(_("text (Norwegian)"), max_length=10000)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=10000, blank=True)
    sms_text = models.CharField(
        _("SMS text"),
        max_length=320,
        blank=True,
        help_text=_("Empty: email only. Sent to those who want SMS, when SMS is configured."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("message to a group")
        verbose_name_plural = _("messages to groups")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="core_groupmsg_due_idx"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"

    def subject_in(self, language: str) -> str:
        """The subject in ``language``: English when given and asked for, else Norwegian."""
        return self.subject_en if language == "en" and self.subject_en else self.subject_nb

    def text_in(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_nb

    @property
    def is_sent(self) -> bool:
        return self.status in (self.Status.SENDING, self.Status.SENT)


class GroupMessageRecipient(models.Model):
    """One person a group message went (or was meant) to, with their address, language
    and the outbound email and SMS. The label names the adult reached (a guardian, an
    artist, an attendee) or, for a member with their own login, the member by number:
    never a child's name."""

    class Skipped(models.TextChoices):
        MUTED = "muted", _("Turned these messages off")
        NO_ADDRESS = "no_address", _("No address")

    message = models.ForeignKey(
        GroupMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_messages_received",
    )
    email = models.EmailField(_("email"), blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=5, default="nb")
    label = models.CharField(_("recipient"), max_length=200)
    # Why they are reached: "guardian", "member", "artist", "attendee", "host"...
    role = models.CharField(_("as"), max_length=30, blank=True)
    skipped = models.CharField(_("not sent"), max_length=20, choices=Skipped.choices, blank=True)
    email_message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sms_message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("SMS"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recipient of a message to a group")
        verbose_name_plural = _("recipients of messages to groups")
        ordering = ["message", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "email"],
                condition=~models.Q(email=""),
                name="core_groupmsg_recipient_once",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


def answer_upload_path(instance, filename: str) -> str:
    """Store a file answer under a random name in a directory the media view never serves
    (settings.PRIVATE_MEDIA_DIRS): staff download it through core.question_views."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"answers/{secrets.token_hex(16)}.{extension[:5]}"


class QuestionSet(models.Model):
    """The questions of something people fill in: an offer's registration, a call for
    applications... The owner is any record; the apps say which kinds of record may own
    one (core.questions.register_owner_kind)."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="one_question_set")
        ]

    def __str__(self):
        return f"{self.owner_type.app_label}.{self.owner_type.model} {self.owner_id}"


class Question(models.Model):
    """One question of a set, with its texts in bokmål and English."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes/no")
        CONSENT = "consent", _("Consent checkbox")
        FILE = "file", _("File (PDF or image)")

    CHOICE_KINDS = (Kind.CHOICE, Kind.MULTIPLE_CHOICE)

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label_nb = models.CharField(_("question (bokmål)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_nb = models.CharField(_("help text (bokmål)"), max_length=500, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    # [{"value": "s", "nb": "Liten", "en": "Small"}, ...] for the choice kinds.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    shown_when = models.ForeignKey(
        "self",
        verbose_name=_("only when the answer to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
    )
    shown_when_value = models.CharField(_("is"), max_length=100, blank=True)
    health_data = models.BooleanField(
        _("health data"),
        default=False,
        help_text=_("Answers follow the rules for health data: few see them, each look is logged."),
    )
    identifying = models.BooleanField(
        _("identifying"),
        default=False,
        help_text=_("Answers are never shown to jurors (blind review)."),
    )
    consent_text_nb = models.TextField(_("consent text (bokmål)"), blank=True)
    consent_text_en = models.TextField(_("consent text (English)"), blank=True)
    # A new consent text is a new version; each answer records the version agreed to.
    consent_version = models.PositiveIntegerField(_("consent version"), default=1, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["question_set", "position", "pk"]

    def __str__(self):
        return self.label_nb

    def save(self, *args, **kwargs):
        if self.pk and self.kind == self.Kind.CONSENT:
            before = (
                Question.objects.filter(pk=self.pk)
                .values_list("consent_text_nb", "consent_text_en")
                .first()
            )
            if before and before != (self.consent_text_nb, self.consent_text_en):
                self.consent_version += 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "consent_version"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        values = [str(choice.get("value", "")) for choice in self.choices or []]
        if self.kind in self.CHOICE_KINDS:
            if not values or not all(values) or len(set(values)) != len(values):
                errors["choices"] = _("Give at least one choice, each with its own value.")
        elif self.choices:
            errors["choices"] = _("Only a choice question has choices.")
        if self.kind == self.Kind.CONSENT and not self.consent_text_nb:
            errors["consent_text_nb"] = _("A consent question needs the text agreed to.")
        if self.shown_when_id:
            earlier = self.shown_when
            later_key = (self.position, self.pk or 1 << 62)
            if (
                earlier.question_set_id != self.question_set_id
                or (earlier.position, earlier.pk) >= later_key
            ):
                errors["shown_when"] = _("Choose an earlier question of the same form.")
            elif not self.shown_when_value:
                errors["shown_when_value"] = _("Give the answer that shows this question.")
        if errors:
            raise ValidationError(errors)

    def _in_english(self) -> bool:
        return (translation.get_language() or "nb").startswith("en")

    @property
    def label(self) -> str:
        return (self._in_english() and self.label_en) or self.label_nb

    @property
    def help(self) -> str:
        return (self._in_english() and self.help_en) or self.help_nb

    @property
    def consent_text(self) -> str:
        return (self._in_english() and self.consent_text_en) or self.consent_text_nb

    def choice_options(self) -> list[tuple[str, str]]:
        """Return (value, label) pairs in the active language."""
        key = "en" if self._in_english() else "nb"
        return [
            (str(c["value"]), c.get(key) or c.get("nb") or str(c["value"])) for c in self.choices
        ]


class Answer(models.Model):
    """One answer to one question, saved with the record it belongs to (a registration, an
    application...). The record's model declares a GenericRelation to Answer, so that the
    answers go when it goes."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    value = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    file = models.FileField(upload_to=answer_upload_path, blank=True, max_length=200)
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "record_type", "record_id"], name="one_answer_per_record"
            )
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return f"{self.question_id}: {self.record_type_id}/{self.record_id}"
