"""Retention: the rules that clear personal data after a while, and the table of every
field that can hold personal data, both filled in by the apps so that events imports none
of them (like events/panels.py).

An app declares, in its own ``retention.py`` imported from its AppConfig.ready():

- its rules, with ``register_rule(RetentionRule(...))``: what a rule would clear up to a
  day (``pending``) and how it clears it (``clear``); the scheduled job
  (``manage.py apply_retention``) and the staff's retention page read them from here;
- what becomes of each field of each of its models, with ``declare_fields(...)``: cleared
  by a rule, kept for a stated reason, or not personal data. A field nobody classified
  fails tests/events/test_retention_table.py, so a new field cannot be forgotten.

Fields of apps that are not ours (Django's logins, sessions, the admin's log...) are
declared here, at the end.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a cleared name becomes, in every app.
ANONYMOUS = "Anonymisert"

# The anonymisation of one member on their guardian's request or by the departed-members
# rule: fields cleared by it are declared with this key.
MEMBER_ERASURE = "orchestra.member_erasure"


@dataclass(frozen=True)
class Pending:
    """One record a rule will clear: ids, a kind and a day, never a name."""

    kind: str
    pk: int
    due_on: date


@dataclass(frozen=True)
class RetentionRule:
    """A retention rule: a setting gives its period, ``pending`` and ``clear`` do the work.

    ``pending(until)`` returns the records not cleared yet that are due on or before
    ``until``, in one or two queries whatever their number. ``clear(records)`` clears
    them and returns how many it changed; it must be safe to run twice (a record
    already cleared is left alone).
    """

    key: str
    title: str
    clears: str
    keeps: str
    setting: str
    period: Callable[[], str]
    pending: Callable[[date], list[Pending]]
    clear: Callable[[list[Pending]], int]


_rules: dict[str, RetentionRule] = {}


def register_rule(rule: RetentionRule) -> RetentionRule:
    _rules[rule.key] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    """Return the registered rules, in the order the apps registered them."""
    return list(_rules.values())


@dataclass(frozen=True)
class RuleRun:
    rule: RetentionRule
    records: list[Pending]
    cleared: int


def apply_retention(*, today: date | None = None, dry_run: bool = False) -> list[RuleRun]:
    """Run every rule for today; with dry_run, only say what each would clear."""
    today = today or timezone.localdate()
    runs = []
    for rule in retention_rules():
        # Each clear() holds its own transactions (a member's anonymisation is one): a
        # long run never holds one transaction over thousands of records.
        records = rule.pending(today)
        cleared = 0 if dry_run or not records else rule.clear(records)
        runs.append(RuleRun(rule=rule, records=records, cleared=cleared))
    return runs


@dataclass
class RuleOutlook:
    rule: RetentionRule
    due: list[Pending] = field(default_factory=list)
    upcoming: list[Pending] = field(default_factory=list)

    @property
    def next_dates(self) -> list[tuple[date, int]]:
        """Return the coming days something is cleared on, with how many records."""
        counts: dict[date, int] = {}
        for record in self.upcoming:
            counts[record.due_on] = counts.get(record.due_on, 0) + 1
        return sorted(counts.items())


def retention_outlook(*, today: date | None = None, days: int = 90) -> list[RuleOutlook]:
    """Return, per rule, what is due today and what falls due in the coming days."""
    today = today or timezone.localdate()
    outlook = []
    for rule in retention_rules():
        records = sorted(rule.pending(today + timedelta(days=days)), key=_by_day)
        outlook.append(
            RuleOutlook(
                rule=rule,
                due=[record for record in records if record.due_on <= today],
                upcoming=[record for record in records if record.due_on > today],
            )
        )
    return outlook


def _by_day(record: Pending):
    return (record.due_on, record.kind, record.pk)


def start_of(day: date) -> datetime:
    """Return the first instant of a day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def months_before(day: date, months: int) -> date:
    """The same day of the month, some months earlier (the month's last day if shorter)."""
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """The same day of the month, some months later (the month's last day if shorter)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def years_before(day: date, years: int) -> date:
    """The same day some years earlier (28 February for 29 February); negative: later."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def due_years_after(day: date, years: int) -> date:
    """The day a record dated ``day`` is due under a rule of some years: the day after."""
    return years_before(day, -years) + timedelta(days=1)


# The table of fields -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldUse:
    """What becomes of one field: cleared by rules, kept for a reason, or not personal."""

    personal: bool
    cleared_by: tuple[str, ...] = ()
    reason: str = ""


NOT_PERSONAL = FieldUse(personal=False)


def cleared(*rule_keys: str) -> FieldUse:
    """Personal data that the named rules (or a member's erasure) clear."""
    return FieldUse(personal=True, cleared_by=rule_keys)


def kept(reason: str) -> FieldUse:
    """Personal data that is kept, for the reason given."""
    return FieldUse(personal=True, reason=reason)


_fields: dict[str, dict[str, FieldUse]] = {}


def declare_fields(model_label: str, not_personal: str = "", **personal: FieldUse) -> None:
    """Declare what becomes of the fields of a model ("app_label.ModelName").

    ``not_personal`` names the fields that hold no personal data, separated by spaces;
    each field that does is a keyword, cleared(...) or kept(...).
    """
    table = _fields.setdefault(model_label.lower(), {})
    table.update(dict.fromkeys(not_personal.split(), NOT_PERSONAL))
    table.update(personal)


def declared_fields() -> dict[str, dict[str, FieldUse]]:
    """Return the table: model label (lower case) to field name to its use."""
    return {label: dict(fields) for label, fields in _fields.items()}


# Logins are deleted with the person they belong to (a member, a lone guardian, an artist
# gone quiet): the rules that do it are named here.
LOGIN_CLEARED_BY = (
    MEMBER_ERASURE,
    "orchestra.departed_members",
    "artists.inactive_artists",
)
_ACCOUNT = _("Security: when a login was made and last used, for as long as it exists.")
_AUDIT = _("Audit trail: which staff member changed what in the administration.")
_THROTTLE = _("Login throttling: failed logins, removed when the lockout ends.")

declare_fields(
    "auth.User",
    "id password is_superuser is_staff is_active",
    username=cleared(*LOGIN_CLEARED_BY),
    first_name=cleared(*LOGIN_CLEARED_BY),
    last_name=cleared(*LOGIN_CLEARED_BY),
    email=cleared(*LOGIN_CLEARED_BY),
    last_login=kept(_ACCOUNT),
    date_joined=kept(_ACCOUNT),
)
declare_fields("auth.Group", "id name")
declare_fields("auth.Permission", "id name content_type codename")
declare_fields("contenttypes.ContentType", "id app_label model")
declare_fields(
    "sessions.Session",
    "session_key expire_date",
    session_data=kept(_("A login's session, deleted when it expires (clearsessions).")),
)
declare_fields(
    "admin.LogEntry",
    "id action_time content_type object_id action_flag change_message",
    user=kept(_AUDIT),
    # The orchestra's models name themselves by id only, so no child's name lands here.
    object_repr=kept(_AUDIT),
)
declare_fields("authtoken.Token", "key user created")
_THROTTLED = {name: kept(_THROTTLE) for name in ("user_agent", "ip_address", "username")}
declare_fields(
    "axes.AccessAttempt",
    "id http_accept path_info attempt_time failures_since_start",
    get_data=kept(_THROTTLE),
    post_data=kept(_THROTTLE),
    **_THROTTLED,
)
declare_fields(
    "axes.AccessFailureLog", "id http_accept path_info attempt_time locked_out", **_THROTTLED
)
# Not written: settings.AXES_DISABLE_ACCESS_LOG.
declare_fields(
    "axes.AccessLog", "id http_accept path_info attempt_time logout_time session_hash", **_THROTTLED
)
declare_fields("axes.AccessAttemptExpiration", "access_attempt expires_at")

# The core's own models hold no personal data: places, programmes and events.
declare_fields("events.Municipality", "id name number county valid_from valid_to")
declare_fields(
    "events.Venue",
    "id name address postcode place municipality latitude longitude capacity accessibility"
    " description updated_at",
)
declare_fields("events.Programme", "id slug name kind description_nb description_en")
declare_fields("events.Period", "id programme slug name start end")
declare_fields(
    "events.Event",
    "id period parent kind title_nb title_en description_nb description_en venue start end"
    " status visibility uid revision created_at updated_at",
)
declare_fields(
    "events.ChangeNotice",
    "id event before_start before_end before_venue before_venue_name before_status"
    " first_changed_at due_at quiet sent_at recipients",
    changed_by=kept(_AUDIT),
)

# Outgoing email (core.models.OutboundMessage) -----------------------------------------------
# Who was written to and what: a guardian's mail names their child. Staff need it to see what
# was sent and to resend what failed; after OUTBOUND_RETENTION_DAYS the message goes (one still
# queued is left until it is sent or fails).

OUTBOUND_MESSAGES = "core.outbound_messages"


def register_deletion_after(
    key: str,
    model_label: str,
    *,
    setting: str,
    period: str,
    title: str,
    clears: str,
    keeps: str,
    date_field: str = "created_at",
    while_status: str = "",
) -> RetentionRule:
    """Register a rule that deletes the records of a platform model ``setting`` days after
    their ``date_field``, but never one whose ``status`` is still ``while_status`` (not
    sent yet). ``period`` says when, with ``%(days)s``. Clearing looks at the date again,
    so a record whose date moved on since (an address that failed again) stays."""

    def kept_rows():
        from django.apps import apps

        rows = apps.get_model(model_label).objects.all()
        return rows.exclude(status=while_status) if while_status else rows

    def pending(until: date) -> list[Pending]:
        from django.conf import settings

        days = getattr(settings, setting)
        rows = (
            kept_rows()
            .filter(**{f"{date_field}__lt": start_of(until - timedelta(days=days))})
            .values_list("pk", date_field)
            .order_by(date_field, "pk")
        )
        return [
            Pending(
                kind=model_label.lower(),
                pk=pk,
                due_on=timezone.localdate(moment) + timedelta(days=days + 1),
            )
            for pk, moment in rows
        ]

    def clear(records: list[Pending]) -> int:
        from django.conf import settings

        cutoff = timezone.now() - timedelta(days=getattr(settings, setting))
        deleted, _by_model = (
            kept_rows()
            .filter(pk__in=[r.pk for r in records], **{f"{date_field}__lt": cutoff})
            .delete()
        )
        return deleted

    def when() -> str:
        from django.conf import settings

        return period % {"days": getattr(settings, setting)}

    return register_rule(
        RetentionRule(
            key=key,
            title=title,
            clears=clears,
            keeps=keeps,
            setting=setting,
            period=when,
            pending=pending,
            clear=clear,
        )
    )


register_deletion_after(
    OUTBOUND_MESSAGES,
    "core.OutboundMessage",
    setting="OUTBOUND_RETENTION_DAYS",
    while_status="queued",
    period=_("%(days)s days after the message was written"),
    title=_("Outgoing email"),
    clears=_("Each email sent or failed: its recipients, subject and text."),
    keeps=_("Nothing of the message; what it was about follows its own rules."),
)
_OUTBOUND = cleared(OUTBOUND_MESSAGES)
declare_fields(
    "core.OutboundMessage",
    "id key kind channel category status attempts last_error about_app about_id created_at"
    " queued_at sent_at provider_ref",
    recipient=_OUTBOUND,
    subject=_OUTBOUND,
    body=_OUTBOUND,
    html_body=_OUTBOUND,
    payload=_OUTBOUND,
)

# How people are reached (core.models.ContactPreference, FailingAddress) ----------------------
# A login's preference goes with the login: the rules that delete logins (LOGIN_CLEARED_BY)
# delete it first with core.reach.forget(), and with it the marks on the login's failing
# address and number and on those of the person whose data goes (a member of 13 or more
# has their own email and mobile; a lone guardian's, an artist's). A preference of an
# address without a login is the person's own "do not send me this", kept so that it is
# respected, unless the address is one of those. Any other failing address is deleted when
# a message reaches it, else FAILING_ADDRESS_RETENTION_DAYS after it last failed.

FAILING_ADDRESSES = "core.failing_addresses"


register_deletion_after(
    FAILING_ADDRESSES,
    "core.FailingAddress",
    setting="FAILING_ADDRESS_RETENTION_DAYS",
    date_field="last_failed_at",
    period=_("%(days)s days after the address last failed"),
    title=_("Addresses that fail"),
    clears=_("The mark on an email address or mobile number that messages could not reach."),
    keeps=_("Nothing."),
)
_FAILING = cleared(FAILING_ADDRESSES, *LOGIN_CLEARED_BY)
declare_fields(
    "core.FailingAddress",
    "id channel message failures first_failed_at",
    address=_FAILING,
    reason=_FAILING,
    last_failed_at=_FAILING,
)
_OPT_OUT = kept(
    _(
        "A person's own choice of the messages they do not want, kept so that it is "
        "respected; it goes with an erased member's, guardian's or artist's data."
    )
)
declare_fields(
    "core.ContactPreference",
    "id user sms email_enabled updated_at",
    email=_OPT_OUT,
    muted=_OPT_OUT,
    language=cleared(*LOGIN_CLEARED_BY),
    mobile=cleared(*LOGIN_CLEARED_BY),
)

# The audit trail (core.models.AuditEntry) --------------------------------------------------

AUDIT_TRAIL = "core.audit_trail"


def _audit_entries_due(until: date) -> list[Pending]:
    from django.conf import settings

    from core.models import AuditEntry

    years = settings.AUDIT_RETENTION_YEARS
    rows = (
        AuditEntry.objects.filter(at__lt=start_of(years_before(until, years)))
        .values_list("pk", "at")
        .order_by("at", "pk")
    )
    return [
        Pending(
            kind="core.auditentry",
            pk=pk,
            due_on=due_years_after(timezone.localdate(at), years),
        )
        for pk, at in rows
    ]


def _delete_audit_entries(records: list[Pending]) -> int:
    from core.models import AuditEntry

    deleted, _by_model = AuditEntry.objects.filter(pk__in=[r.pk for r in records]).delete()
    return deleted


def _audit_period() -> str:
    from django.conf import settings

    return _("%(years)s years after the change") % {"years": settings.AUDIT_RETENTION_YEARS}


register_rule(
    RetentionRule(
        key=AUDIT_TRAIL,
        title=_("Audit trail"),
        clears=_("The audit entries: who changed whose record, when, and which fields."),
        keeps=_("Nothing of an entry; the records themselves follow their own rules."),
        setting="AUDIT_RETENTION_YEARS",
        period=_audit_period,
        pending=_audit_entries_due,
        clear=_delete_audit_entries,
    )
)
declare_fields(
    "core.AuditEntry",
    "id action content_type object_id object_repr",
    actor=cleared(AUDIT_TRAIL),
    at=cleared(AUDIT_TRAIL),
    changes=cleared(AUDIT_TRAIL),
)

# Webhooks (core.models.WebhookEndpoint, WebhookDelivery) ------------------------------------
# A delivery's payload holds ids and public fields only (core.webhooks); it is kept
# WEBHOOK_DELIVERY_RETENTION_DAYS after it was made, for staff to see and replay, then goes
# (one still pending is left until it is delivered or fails).

WEBHOOK_DELIVERIES = "core.webhook_deliveries"


register_deletion_after(
    WEBHOOK_DELIVERIES,
    "core.WebhookDelivery",
    setting="WEBHOOK_DELIVERY_RETENTION_DAYS",
    while_status="pending",
    period=_("%(days)s days after the delivery was made"),
    title=_("Webhook deliveries"),
    clears=_("Each delivery delivered or failed: its payload (ids) and its attempts."),
    keeps=_("The endpoints; what a delivery was about follows its own rules."),
)
declare_fields(
    "core.WebhookEndpoint",
    "id url description secret event_types active consecutive_failures disabled_at"
    " disabled_reason created_at",
    created_by=kept(_("Who added an endpoint, for staff to ask, as long as it exists.")),
)
declare_fields(
    "core.WebhookDelivery",
    "id endpoint event_type key payload status attempts attempt_log created_at queued_at"
    " delivered_at",
)

# A change stamp's key names what changed by kind and id (core.stamps), never a person.
declare_fields("core.ChangeStamp", "id key created_at")

# Messages to groups (core.models.GroupMessage, GroupMessageRecipient) ----------------------
# A sent message and its recipients (names of the adults reached, their addresses) are kept
# GROUP_MESSAGE_RETENTION_DAYS after sending, for staff's report and the recipients' own
# page, then deleted; drafts and scheduled ones stay until sent or deleted. A recipient's
# row goes at once with the data of the person reached (core.reach.forget: an anonymised
# member's own login, a lone guardian, an inactive artist).

GROUP_MESSAGES = "core.group_messages"

register_deletion_after(
    GROUP_MESSAGES,
    "core.GroupMessage",
    setting="GROUP_MESSAGE_RETENTION_DAYS",
    date_field="sent_at",
    period=_("%(days)s days after the message was sent"),
    title=_("Messages to groups"),
    clears=_("Each message sent to a group: its texts and its recipients with their addresses."),
    keeps=_("Nothing of the message; its emails follow the outgoing-email rule."),
)
_GROUP = cleared(GROUP_MESSAGES)
declare_fields(
    "core.GroupMessage",
    "id audience audience_params audience_label category status scheduled_at sent_at created_at",
    sender=_GROUP,
    reply_to=_GROUP,
    subject_nb=_GROUP,
    text_nb=_GROUP,
    subject_en=_GROUP,
    text_en=_GROUP,
    sms_text=_GROUP,
)
_RECIPIENT = cleared(GROUP_MESSAGES, *LOGIN_CLEARED_BY)
declare_fields(
    "core.GroupMessageRecipient",
    "id message role skipped email_message sms_message",
    user=_RECIPIENT,
    email=_RECIPIENT,
    mobile=_RECIPIENT,
    language=_RECIPIENT,
    label=_RECIPIENT,
)

# Questions of our own (core.questions) ------------------------------------------------------
# The questions are staff's texts. An answer can be personal data (health data when its
# question says so): it goes with the record it answers (a GenericRelation on the record's
# model deletes it with the record) and is deleted by the rule that clears that record
# (core.questions.forget_answers, called by the rule's clear function). Each owner app's
# rule is named here by key, like MEMBER_ERASURE, so that core imports no app.
ANSWERS_CLEARED_BY = (
    "ticketing.past_event_registrations",
    "artists.rejected_applications",
    MEMBER_ERASURE,
    "orchestra.departed_members",
)
declare_fields("core.QuestionSet", "id owner_type owner_id created_at")
declare_fields(
    "core.Question",
    "id question_set kind label_nb label_en help_nb help_en choices required position"
    " shown_when shown_when_value health_data identifying consent_text_nb consent_text_en"
    " consent_version",
)
declare_fields(
    "core.Answer",
    "id question record_type record_id consent_version answered_at",
    value=cleared(*ANSWERS_CLEARED_BY),
    file=cleared(*ANSWERS_CLEARED_BY),
)
