"""Messages to groups: staff write a message to an audience (core.audiences), see how many
it reaches and how it reads in each language, and send it now or at a moment (the due
sender below, run by ``manage.py send_due_messages``).

Sending writes one GroupMessageRecipient per person (the audience as it is at that
moment) and queues one email (and, when the message has an SMS text and the person wants
SMS, one SMS) per recipient through core.mail, in the recipient's language, with a
reply-to of the sender. Each outbound message's key names the group message and the
recipient row (``core.group_message:core.groupmessage:<id>:<recipient id>``), and the
message is locked while it is sent and sent only from draft or scheduled: sending twice,
or a scheduled run twice, sends nothing twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audiences, audit, mail, reach
from core.due import due_sender
from core.models import ContactPreference, GroupMessage, GroupMessageRecipient, OutboundMessage

logger = logging.getLogger(__name__)

KIND = "core.group_message"

# Why a recipient is reached (GroupMessageRecipient.role), in their own words.
ROLES = {
    "guardian": gettext_lazy("a guardian of a member of the orchestra"),
    "member": gettext_lazy("a member of the orchestra"),
    "participant": gettext_lazy("a participant of the tour"),
    "attendee": gettext_lazy("registered for the event"),
    "artist": gettext_lazy("an artist of the art round"),
    "applicant": gettext_lazy("an applicant to the art round"),
    "host": gettext_lazy("a host"),
}

FIELDS = ("subject_nb", "text_nb", "subject_en", "text_en", "sms_text", "category")


# Writing ---------------------------------------------------------------------------------


@transaction.atomic
def save_draft(
    *,
    by,
    audience: str,
    audience_params: dict,
    category: str,
    subject_nb: str,
    text_nb: str,
    subject_en: str = "",
    text_en: str = "",
    sms_text: str = "",
    message: GroupMessage | None = None,
) -> GroupMessage:
    """Write a new draft, or change ``message`` (a draft or a scheduled message, which
    goes back to draft: it is checked again before it is sent). The reply-to is the
    writer's address. Raises ValidationError for an unknown audience, a parameter that is
    not one of its choices, or an English subject without English text (or the reverse).
    """
    params = audiences.clean_params(audience, audience_params)
    if message is not None:
        message = GroupMessage.objects.select_for_update().get(pk=message.pk)
        if message.is_sent:
            raise ValidationError(_("The message is sent already."))
    before = {} if message is None else _snapshot(message)
    message = message or GroupMessage(sender=by)
    message.audience = audience
    message.audience_params = params
    message.audience_label = audiences.describe(audience, params)[:300]
    message.category = category
    message.subject_nb, message.text_nb = subject_nb.strip(), text_nb.strip()
    message.subject_en, message.text_en = subject_en.strip(), text_en.strip()
    message.sms_text = sms_text.strip()
    message.reply_to = getattr(by, "email", "") or message.reply_to
    message.status = GroupMessage.Status.DRAFT
    message.scheduled_at = None
    if bool(message.subject_en) != bool(message.text_en):
        raise ValidationError({"text_en": _("Give both the English subject and text, or neither.")})
    message.full_clean()
    message.save()
    after = _snapshot(message)
    audit.log_action(
        message,
        "core.groupmessage.saved" if before else "core.groupmessage.created",
        by,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return message


def _snapshot(message: GroupMessage) -> dict:
    return {
        "audience": message.audience,
        "audience_params": message.audience_params,
        "status": message.status,
        **{name: getattr(message, name) for name in FIELDS},
    }


@transaction.atomic
def schedule_message(message: GroupMessage, *, by, at: datetime) -> GroupMessage:
    """Send a draft at ``at`` (later than now), by the due sender."""
    message = GroupMessage.objects.select_for_update().get(pk=message.pk)
    if message.is_sent:
        raise ValidationError(_("The message is sent already."))
    if at <= timezone.now():
        raise ValidationError({"scheduled_at": _("Choose a moment in the future.")})
    before = message.status
    message.status = GroupMessage.Status.SCHEDULED
    message.scheduled_at = at
    message.save(update_fields=["status", "scheduled_at"])
    audit.log_action(
        message,
        "core.groupmessage.scheduled",
        by,
        changes={"status": [before, message.status], "scheduled_at": [None, at]},
    )
    return message


@transaction.atomic
def unschedule_message(message: GroupMessage, *, by) -> GroupMessage:
    """Take a scheduled message back to draft (it is not sent)."""
    message = GroupMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != GroupMessage.Status.SCHEDULED:
        return message
    at = message.scheduled_at
    message.status = GroupMessage.Status.DRAFT
    message.scheduled_at = None
    message.save(update_fields=["status", "scheduled_at"])
    audit.log_action(
        message,
        "core.groupmessage.unscheduled",
        by,
        changes={"status": ["scheduled", "draft"], "scheduled_at": [at, None]},
    )
    return message


# Sending ---------------------------------------------------------------------------------


@transaction.atomic
def send_message(message: GroupMessage, *, by, now: datetime | None = None) -> int:
    """Send a draft or scheduled message to its audience as it is now; return how many
    outbound messages were queued. A message sent (or being sent) already is left alone,
    so a second call, a double click or a second scheduled run sends nothing.

    Each recipient is reached as core.reach.reach_for says for the message's category:
    one who turned group messages off is recorded as skipped ("muted") and gets nothing;
    a message about a child's safety is always sent (and by SMS too, when it has an SMS
    text and the person has a mobile number for SMS).
    """
    now = now or timezone.now()
    message = GroupMessage.objects.select_for_update().get(pk=message.pk)
    if message.status not in (GroupMessage.Status.DRAFT, GroupMessage.Status.SCHEDULED):
        return 0
    found = audiences.recipients_of(message.audience, message.audience_params)
    users = get_user_model().objects.in_bulk([r.user_id for r in found if r.user_id])
    rows = GroupMessageRecipient.objects.bulk_create(
        [
            GroupMessageRecipient(
                message=message,
                user_id=r.user_id if r.user_id in users else None,
                email=r.email or (users[r.user_id].email.lower() if r.user_id in users else ""),
                language=r.language or settings.LANGUAGE_CODE,
                label=r.label[:200],
                role=r.role,
            )
            for r in found
        ]
    )
    if any(row.pk is None for row in rows):  # databases that do not return ids
        rows = list(message.recipients.order_by("pk"))
    queued = 0
    for row in rows:
        queued += _send_to(message, row, users.get(row.user_id))
    before = message.status
    message.status = GroupMessage.Status.SENT
    message.sent_at = now
    message.save(update_fields=["status", "sent_at"])
    audit.log_action(
        message,
        "core.groupmessage.sent",
        by,
        changes={
            "status": [before, message.status],
            "category": message.category,
            "recipients": len(rows),
            "queued": queued,
        },
    )
    return queued


def _send_to(message: GroupMessage, row: GroupMessageRecipient, user) -> int:
    """Queue the email (and SMS) of one recipient; record what went and what did not."""
    urgent = message.category == GroupMessage.Category.SAFETY
    reached = reach.reach_for(
        user if user is not None else row.email, message.category, urgent=urgent
    )
    row.language = _language_of(row, user) or row.language
    row.mobile = reached.mobile
    queued = 0
    if row.email and reached.email:
        row.email_message = mail.queue_email(
            build_email(message, row),
            kind=KIND,
            about=message,
            occasion=row.pk,
            category=message.category,
        )
        queued += row.email_message is not None
    if message.sms_text and reached.mobile:
        row.sms_message = mail.queue_sms(
            reached.mobile,
            message.sms_text,
            kind=KIND,
            category=message.category,
            about=message,
            occasion=row.pk,
        )
        queued += row.sms_message is not None
    if not queued:
        row.skipped = (
            GroupMessageRecipient.Skipped.NO_ADDRESS
            if not row.email and not reached.mobile
            else GroupMessageRecipient.Skipped.MUTED
        )
    row.save(update_fields=["language", "mobile", "email_message", "sms_message", "skipped"])
    return queued


def _language_of(row: GroupMessageRecipient, user) -> str:
    """The person's own choice of language, else what the audience's records said."""
    pref = (
        reach.preference_of(user=user) if user is not None else reach.preference_of(email=row.email)
    )
    language = (pref.language if pref else "") or row.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def build_email(message: GroupMessage, row: GroupMessageRecipient) -> EmailMessage:
    """The email to one recipient, in their language."""
    with translation.override(row.language):
        body = render_email_text(
            message, role=row.role, language=row.language, has_login=bool(row.user_id)
        )
        return EmailMessage(
            subject=message.subject_in(row.language),
            body=body,
            to=[row.email],
            reply_to=[message.reply_to] if message.reply_to else None,
        )


def render_email_text(message: GroupMessage, *, role: str, language: str, has_login: bool) -> str:
    """The text of the email as a recipient in ``language`` reads it (the preview too)."""
    with translation.override(language):
        return (
            render_to_string(
                "core/email/group_message.txt",
                {
                    "text": message.text_in(language),
                    "reply_to": message.reply_to,
                    "role": ROLES.get(role, ""),
                    "essential": reach.category(message.category).essential,
                    "mine_url": settings.SITE_URL + reverse("core:my_messages")
                    if has_login
                    else "",
                    "contact_url": settings.SITE_URL + reverse("core:contact_preferences"),
                },
            ).strip()
            + "\n"
        )


@due_sender("core.group_messages", order=50)
def send_scheduled(now: datetime) -> int:
    """Send every scheduled message whose moment has come; return how many outbound
    messages were queued."""
    due = GroupMessage.objects.filter(
        status=GroupMessage.Status.SCHEDULED, scheduled_at__lte=now
    ).order_by("scheduled_at", "pk")
    return sum(send_message(message, by=None, now=now) for message in due)


@transaction.atomic
def resend_failed(row: GroupMessageRecipient, *, by) -> int:
    """Queue a recipient's failed email and SMS again (core.mail.resend_message)."""
    resent = 0
    for outbound in (row.email_message, row.sms_message):
        if outbound is not None and outbound.status == OutboundMessage.Status.FAILED:
            mail.resend_message(outbound, by=by)
            resent += 1
    return resent


# Reading ---------------------------------------------------------------------------------


@dataclass
class LanguagePreview:
    language: str
    recipients: int
    subject: str
    text: str


@dataclass
class Preview:
    total: int
    muted: int
    previews: list[LanguagePreview] = field(default_factory=list)


def preview(message: GroupMessage) -> Preview:
    """How many the message reaches now, how many of them read each language and how
    many turned such messages off, and the email as it reads in nb and in en. Four
    queries plus the audience's, however many recipients."""
    found = audiences.recipients_of(message.audience, message.audience_params)
    prefs = _preferences_of(found)
    counts = {"nb": 0, "en": 0}
    muted = 0
    essential = reach.category(message.category).essential
    for recipient in found:
        pref = prefs.get(("user", recipient.user_id)) or prefs.get(("email", recipient.email))
        language = (pref.language if pref else "") or recipient.language or settings.LANGUAGE_CODE
        counts[language if language in counts else "nb"] += 1
        if (
            not essential
            and pref
            and (message.category in (pref.muted or []) or not pref.email_enabled)
        ):
            muted += 1
    previews = [
        LanguagePreview(
            language=language,
            recipients=counts[language],
            subject=message.subject_in(language),
            text=render_email_text(message, role="", language=language, has_login=True),
        )
        for language in ("nb", "en")
    ]
    return Preview(total=len(found), muted=muted, previews=previews)


def _preferences_of(found) -> dict:
    user_ids = [r.user_id for r in found if r.user_id]
    emails = [r.email for r in found if r.email]
    prefs = {}
    for pref in ContactPreference.objects.filter(
        Q(user__in=user_ids) | Q(user=None, email__in=emails) | Q(user__email__in=emails)
    ).select_related("user"):
        if pref.user_id:
            prefs[("user", pref.user_id)] = pref
            prefs.setdefault(("email", (pref.user.email or "").lower()), pref)
        else:
            prefs.setdefault(("email", pref.email.lower()), pref)
    return prefs


def group_messages() -> QuerySet[GroupMessage]:
    """Every message, newest first, with its sender and counts of recipients, failed
    deliveries and skipped recipients (one query)."""
    failed = Q(recipients__email_message__status=OutboundMessage.Status.FAILED) | Q(
        recipients__sms_message__status=OutboundMessage.Status.FAILED
    )
    return (
        GroupMessage.objects.select_related("sender")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            failed_count=Count("recipients", filter=failed, distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def report_rows(message: GroupMessage) -> list[GroupMessageRecipient]:
    """The message's recipients with their email and SMS (one query)."""
    return list(
        message.recipients.select_related("email_message", "sms_message")
        .defer(
            "email_message__payload",
            "email_message__body",
            "email_message__html_body",
            "sms_message__payload",
            "sms_message__html_body",
        )
        .order_by("label", "pk")
    )


@dataclass
class Report:
    rows: list
    sent: int = 0
    failed: int = 0
    queued: int = 0
    skipped: int = 0


def report(message: GroupMessage) -> Report:
    """Who got the message, whose delivery failed (with the error) and who was skipped."""
    result = Report(rows=report_rows(message))
    for row in result.rows:
        statuses = {m.status for m in (row.email_message, row.sms_message) if m is not None}
        if row.skipped:
            result.skipped += 1
        elif OutboundMessage.Status.FAILED in statuses:
            result.failed += 1
        elif OutboundMessage.Status.QUEUED in statuses:
            result.queued += 1
        else:
            result.sent += 1
    return result


def messages_to(user) -> QuerySet[GroupMessageRecipient]:
    """The messages sent to a login (by its login, or to its address before it had
    one), newest first, with the message (one query)."""
    q = Q(user=user)
    if user.email:
        q |= Q(email=user.email.lower())
    return (
        GroupMessageRecipient.objects.filter(q, message__status=GroupMessage.Status.SENT)
        .select_related("message")
        .order_by("-message__sent_at", "-pk")
    )


# How many messages the dashboard's panel lists, and from how far back.
PANEL_MESSAGES = 3
PANEL_DAYS = 30


def messages_to_me_panel(user, now) -> dict | None:
    """The dashboard's "messages to you": the newest ones of the last 30 days."""
    rows = list(
        messages_to(user).filter(message__sent_at__gte=now - timedelta(days=PANEL_DAYS))[
            :PANEL_MESSAGES
        ]
    )
    return {"rows": rows} if rows else None
