"""Change and cancellation notices: when an event's start, end, place or status changes,
everyone concerned is told once, with the event as an updated calendar file.

- Every save of an event that changes those fields, however it is saved (the admin, the
  API, a service, an import), records a change set (events.ChangeNotice) through the
  post_save receiver below; edits within NOTICE_COMBINE_MINUTES of the last one extend the
  open set, which keeps the values from before its first change.
- ``changes_by(user, quiet=...)`` says who is changing events in a block of code, and
  whether to tell anyone (a quiet set is closed at once: "correct a typo, tell no one").
- ``audience(event)`` is who is told: the hosts of the event (and its sessions), and what
  the apps add with ``register_audience`` (ticket holders and the waitlist, guardians and
  members with their own login, tutors, artists), one entry per email address.
- The sender registered with core.due sends each due set: one email per person in their
  language with the event as an .ics (METHOD:REQUEST, or CANCEL; same UID, SEQUENCE =
  revision), and an SMS when the change is urgent (old or new start within
  NOTICE_URGENT_HOURS). A set whose values are back to where they were is closed unsent.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import formats, reach
from core.due import due_sender
from core.mail import queue_email, queue_sms
from events.calendar import build_calendar
from events.models import ChangeNotice, Event, Venue

# Who changes events in this block of code -------------------------------------------------


@dataclass(frozen=True)
class ChangeContext:
    by: object = None
    quiet: bool = False
    recorded: bool = True


_context: ContextVar[ChangeContext | None] = ContextVar("event_change_context", default=None)


@contextmanager
def changes_by(user=None, *, quiet: bool = False) -> Iterator[None]:
    """Record the event changes saved inside this block as made by ``user``; ``quiet``:
    tell no one (the revision still grows, so calendar feeds follow)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    token = _context.set(ChangeContext(by=user, quiet=quiet))
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def unrecorded() -> Iterator[None]:
    """Record no change sets in this block: for the demo loader, which moves the demo's
    dates to a new anchor (nobody is told, and no set is kept)."""
    token = _context.set(ChangeContext(recorded=False))
    try:
        yield
    finally:
        _context.reset(token)


# Recording change sets -------------------------------------------------------------------


def combine_window() -> timedelta:
    return timedelta(minutes=settings.NOTICE_COMBINE_MINUTES)


def record_change(event: Event, before: dict, *, now: datetime | None = None) -> ChangeNotice:
    """Record that ``event`` changed from ``before`` (the changed fields' old values, by
    attribute name): extend its open change set, or open one.

    The open set keeps its "before" (the oldest) and is due NOTICE_COMBINE_MINUTES after
    this edit. With no open set, a quiet change is recorded closed: nobody is told.
    """
    context = _context.get() or ChangeContext()
    now = now or timezone.now()
    with transaction.atomic():
        open_set = (
            ChangeNotice.objects.select_for_update().filter(event=event, sent_at=None).first()
        )
        if open_set is None:
            try:
                with transaction.atomic():
                    return _open_set(event, before, context=context, now=now)
            except IntegrityError:  # opened at the same moment by another save
                open_set = ChangeNotice.objects.select_for_update().get(event=event, sent_at=None)
        open_set.due_at = now + combine_window()
        open_set.changed_by = context.by or open_set.changed_by
        open_set.save(update_fields=["due_at", "changed_by"])
        return open_set


def _open_set(event: Event, before: dict, *, context: ChangeContext, now) -> ChangeNotice:
    old = {name: before.get(name, getattr(event, name)) for name in Event.NOTICE_FIELDS}
    venue = Venue.objects.filter(pk=old["venue_id"]).first() if old["venue_id"] else None
    return ChangeNotice.objects.create(
        event=event,
        before_start=old["start"],
        before_end=old["end"],
        before_venue=venue,
        before_venue_name=venue.full_address[:300] if venue else "",
        before_status=old["status"],
        first_changed_at=now,
        due_at=now + combine_window(),
        changed_by=context.by,
        quiet=context.quiet,
        sent_at=now if context.quiet else None,
    )


@receiver(post_save, sender=Event, dispatch_uid="events.notices.record")
def _record_saved_change(sender, instance: Event, created: bool, raw: bool = False, **kwargs):
    """Record a change set when a saved event's start, end, place or status changed
    (Event.save notes the old values): one place for every way an event is saved."""
    before = getattr(instance, "_notice_before", None)
    instance._notice_before = {}
    context = _context.get()
    if created or raw or not before or (context is not None and not context.recorded):
        return
    record_change(instance, before)


# What changed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


def changes_of(notice: ChangeNotice, event: Event) -> list[Change]:
    """Return what differs between the set's "before" and the event as it is now."""
    changes = []
    for name, old, new in (
        ("status", notice.before_status, event.status),
        ("start", notice.before_start, event.start),
        ("end", notice.before_end, event.end),
        ("venue", notice.before_venue_id, event.venue_id),
    ):
        if old != new:
            changes.append(Change(name, old, new))
    return changes


def describe_changes(notice: ChangeNotice, event: Event, changes: list[Change]) -> list[dict]:
    """Return each change as {"label", "old", "new"} texts in the active language."""
    described = []
    for change in changes:
        if change.field == "status":
            label = _("Status")
            old, new = Event.Status(change.old).label, Event.Status(change.new).label
        elif change.field in ("start", "end"):
            label = _("Starts") if change.field == "start" else _("Ends")
            old, new = formats.when(change.old), formats.when(change.new)
        else:
            label = _("Place")
            old = notice.before_venue_name or "–"
            new = event.venue.full_address if event.venue else "–"
        described.append({"label": str(label), "old": str(old), "new": str(new)})
    return described


def is_urgent(notice: ChangeNotice, event: Event, now: datetime) -> bool:
    """A change is urgent when its old or its new start is less than NOTICE_URGENT_HOURS
    ahead of ``now`` (and not past)."""
    horizon = now + timedelta(hours=settings.NOTICE_URGENT_HOURS)
    return any(now <= start < horizon for start in (notice.before_start, event.start))


# Who is told ------------------------------------------------------------------------------

KINDS = {
    "ticket_holder": gettext_lazy("ticket holders"),
    "waitlist": gettext_lazy("on the waitlist"),
    "guardian": gettext_lazy("guardians"),
    "member": gettext_lazy("members with their own login"),
    "artist": gettext_lazy("artists"),
    "host": gettext_lazy("hosts"),
    "tutor": gettext_lazy("tutors"),
}

# Why each kind gets the notice: the last line of the email (it names no one).
REASONS = {
    "ticket_holder": gettext_lazy("You get this message because you have a ticket."),
    "waitlist": gettext_lazy("You get this message because you are on the waitlist."),
    "guardian": gettext_lazy(
        "You get this message because a member you are the guardian of is expected."
    ),
    "member": gettext_lazy("You get this message because you are expected."),
    "artist": gettext_lazy("You get this message because you take part as an artist."),
    "host": gettext_lazy("You get this message because you are a host of the event."),
    "tutor": gettext_lazy("You get this message because you lead the session as a tutor."),
}


@dataclass(frozen=True)
class Recipient:
    """One person to tell, by kind (KINDS). ``language``: the one they chose on the record
    that makes them concerned (a registration's), used when they set none themselves."""

    kind: str
    email: str
    user: object = None
    language: str = ""


# A contributor takes the event and the events it stands for (itself and its sessions)
# and returns the recipients its app knows of; events imports none of the apps.
AudienceContributor = Callable[[Event, list[Event]], Iterable[Recipient]]
_contributors: list[AudienceContributor] = []


def register_audience(contributor: AudienceContributor) -> AudienceContributor:
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


@dataclass
class Audience:
    recipients: list[Recipient] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.recipients)

    def counts(self) -> list[tuple[str, str, int]]:
        """(kind, label, how many) for each kind with anyone, in KINDS' order."""
        numbers = dict.fromkeys(KINDS, 0)
        for recipient in self.recipients:
            numbers[recipient.kind] = numbers.get(recipient.kind, 0) + 1
        return [(kind, str(KINDS.get(kind, kind)), n) for kind, n in numbers.items() if n]


def _hosts(event: Event, events: list[Event]) -> Iterable[Recipient]:
    hosts = get_user_model().objects.filter(hosted_events__in=events).exclude(email="")
    for user in hosts.distinct().order_by("pk"):
        yield Recipient("host", user.email, user=user)


def audience(event: Event) -> Audience:
    """Return everyone a change of ``event`` concerns (of its sessions too, for an event
    with sessions), one entry per email address: the first kind found (KINDS' order)."""
    events = [event]
    if event.parent_id is None:
        events += list(event.children.all())
    found = [*_hosts(event, events)]
    for contributor in _contributors:
        found += list(contributor(event, events))
    order = list(KINDS)
    found.sort(key=lambda r: order.index(r.kind) if r.kind in order else len(order))
    seen, recipients = set(), []
    for recipient in found:
        address = (recipient.email or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            recipients.append(recipient)
    return Audience(recipients)


# Sending ----------------------------------------------------------------------------------

KIND = "events.change_notice"


def _covered_by_parent(notice: ChangeNotice, event: Event, changes: list[Change]) -> bool:
    """Whether a session's cancellation is told by its parent's notice (a cancelled event
    cascades to its sessions: one notice per person, not one per session)."""
    if event.parent_id is None or [c.field for c in changes] != ["status"]:
        return False
    if not (event.is_cancelled and event.parent.is_cancelled):
        return False
    window = combine_window()
    return ChangeNotice.objects.filter(
        event_id=event.parent_id,
        before_status=Event.Status.SCHEDULED,
        first_changed_at__gte=notice.first_changed_at - window,
        first_changed_at__lte=notice.first_changed_at + window,
    ).exists()


def _calendar_file(event: Event, *, method: str, language: str) -> bytes:
    events = Event.objects.filter(pk=event.pk)
    if method == "CANCEL" and event.parent_id is None:
        events = Event.objects.filter(pk=event.pk) | Event.objects.filter(
            parent=event, status=Event.Status.CANCELLED
        )
    return build_calendar(
        events.select_related("venue", "parent").order_by("start", "pk"),
        name=event.title,
        base_url=settings.SITE_URL,
        subscription=False,
        language=language,
        method=method,
    )


def _language_of(recipient: Recipient, reached: reach.Reach) -> str:
    preference = reach.preference_of(user=recipient.user, email=recipient.email)
    if preference is not None and preference.language:
        return reached.language
    return recipient.language or reached.language


def _occasion(recipient: Recipient) -> str:
    # Names the address without writing it (keys are seen in logs and the admin).
    return hashlib.sha256(recipient.email.strip().lower().encode()).hexdigest()[:20]


def _send_one(notice, event, changes, recipient, *, urgent: bool, cancelled: bool) -> int:
    reached = reach.reach_for(recipient.user or recipient.email, "notice", urgent=urgent)
    language = _language_of(recipient, reached)
    queued = 0
    with translation.override(language):
        context = {
            "event": event,
            "cancelled": cancelled,
            "changes": describe_changes(notice, event, changes),
            "when": formats.when(event.start),
            "url": settings.SITE_URL + event.get_absolute_url(),
            "reason": str(REASONS.get(recipient.kind, "")),
        }
        if cancelled:
            subject = _("Cancelled: %(title)s") % {"title": event.title}
        else:
            subject = _("Changed: %(title)s") % {"title": event.title}
        method = "CANCEL" if cancelled else "REQUEST"
        message = EmailMessage(
            subject=subject,
            body=render_to_string("events/email/change_notice.txt", context),
            to=[recipient.email],
        )
        message.attach(
            f"{slugify(event.title)[:60] or 'event'}.ics",
            _calendar_file(event, method=method, language=language),
            f"text/calendar; method={method}",
        )
        occasion = _occasion(recipient)
        if queue_email(message, kind=KIND, about=notice, occasion=occasion, category="notice"):
            queued += 1
        if reached.mobile:
            text = render_to_string("events/email/change_notice_sms.txt", context).strip()
            if queue_sms(
                reached.mobile,
                text,
                kind=KIND,
                category="notice",
                about=notice,
                occasion=occasion,
            ):
                queued += 1
    return queued


def send_change_notice(notice: ChangeNotice, *, now: datetime) -> int:
    """Send one due change set (locked by the caller) and close it; return how many
    messages were queued."""
    event = Event.objects.select_related("venue", "parent").get(pk=notice.event_id)
    changes = changes_of(notice, event)
    queued = 0
    people = 0
    if changes and not _covered_by_parent(notice, event, changes):
        cancelled = event.is_cancelled and notice.before_status != Event.Status.CANCELLED
        urgent = is_urgent(notice, event, now)
        recipients = audience(event).recipients
        for recipient in recipients:
            queued += _send_one(
                notice, event, changes, recipient, urgent=urgent, cancelled=cancelled
            )
        people = len(recipients)
    notice.sent_at = now
    notice.recipients = people
    notice.save(update_fields=["sent_at", "recipients"])
    return queued


@due_sender("events.change_notices", order=10)
def send_due_change_notices(now: datetime) -> int:
    """Send every change set due at ``now`` (events before their sessions), each once."""
    due = (
        ChangeNotice.objects.select_for_update(of=("self",))
        .filter(sent_at=None, due_at__lte=now)
        .order_by(F("event__parent_id").asc(nulls_first=True), "due_at", "pk")
    )
    return sum(send_change_notice(notice, now=now) for notice in due)


def pending_notice(event: Event) -> ChangeNotice | None:
    """The open change set of an event, if any."""
    return ChangeNotice.objects.filter(event=event, sent_at=None).first()


@dataclass(frozen=True)
class Preview:
    """What staff see before saving a change: what changes, who is told and how."""

    changes: list[dict]
    audience: Audience
    urgent: bool
    sms_configured: bool
    pending: ChangeNotice | None
    urgent_hours: int = 48


def preview_change(event: Event, *, start, end, venue, status, now=None) -> Preview:
    """Return what saving these values would tell, and to whom (nothing is saved)."""
    now = now or timezone.now()
    pending = pending_notice(event)
    before = pending or ChangeNotice(
        event=event,
        before_start=event.start,
        before_end=event.end,
        before_venue=event.venue,
        before_venue_name=event.venue.full_address if event.venue else "",
        before_status=event.status,
    )
    after = Event(
        pk=event.pk,
        parent_id=event.parent_id,
        start=start,
        end=end,
        venue=venue,
        status=status,
    )
    changes = changes_of(before, after)
    return Preview(
        changes=describe_changes(before, after, changes),
        audience=audience(event),
        urgent=is_urgent(before, after, now),
        sms_configured=reach.sms_configured(),
        pending=pending,
        urgent_hours=settings.NOTICE_URGENT_HOURS,
    )
