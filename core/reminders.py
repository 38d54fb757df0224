"""Sending one reminder to one person: the reminders that run by themselves (the apps'
``core.due`` senders: a weekend not answered, tickets the day before, a waitlist offer
running out, a draft application before the deadline, visitor counts missing).

A reminder is a non-essential message (category "reminder"): it goes by email unless the
person turned reminders or email off (then carries a one-click unsubscribe), and by SMS as
well when they chose SMS and a provider is configured (core.reach.reach_for). It is written
in the person's language: the one they chose, else the one the record knows (a
registration's, an artist's), else the site's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import due, formats
from core.mail import queue_email, queue_sms
from core.models import OutboundMessage
from core.reach import preference_of, reach_for

CATEGORY = "reminder"


def language_of(person, fallback: str = "") -> str:
    """The language to remind ``person`` (a login or an address) in."""
    pref = preference_of(email=person) if isinstance(person, str) else preference_of(user=person)
    return (pref.language if pref and pref.language else "") or fallback or settings.LANGUAGE_CODE


def remind(
    person,
    *,
    kind: str,
    about,
    occasion: str,
    email: Callable[[str], EmailMessage],
    sms: Callable[[], str] | None = None,
    language: str = "",
) -> int:
    """Queue one reminder to ``person`` (a login, or an email address): its email built by
    ``email(address)`` and, where the person chose SMS, the text ``sms()``, both built in
    the person's language. Keyed by ``kind``, ``about`` and ``occasion`` (the thing and the
    reminder: the same reminder is sent once). Returns how many messages were queued."""
    reach = reach_for(person, CATEGORY)
    queued = 0
    with translation.override(language_of(person, language)):
        if reach.email:
            message = email(reach.email)
            if queue_email(message, kind=kind, about=about, occasion=occasion, category=CATEGORY):
                queued += 1
        if (
            reach.mobile
            and sms is not None
            and queue_sms(
                reach.mobile, sms(), kind=kind, about=about, occasion=occasion, category=CATEGORY
            )
        ):
            queued += 1
    return queued


def render_email(*, to: str, subject: str, template: str, context: dict) -> EmailMessage:
    """An email from ``<template>.txt`` and ``<template>.html`` to one address."""
    context = {"site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def when(moment: datetime, *, short: bool = False) -> str:
    """A moment as people read it, in local time and the active language."""
    return formats.when(timezone.localtime(moment), short=short)


# What staff read -------------------------------------------------------------------------


@dataclass(frozen=True)
class SentReminders:
    kind: str
    day: date
    channel: str
    sent: int
    waiting: int
    failed: int


def recent_reminders(now: datetime, *, days: int) -> list[SentReminders]:
    """The reminders queued in the last ``days`` days, by kind, day and channel, newest day
    first (one query): how many were sent, still wait, failed."""
    Status = OutboundMessage.Status
    rows = (
        OutboundMessage.objects.filter(
            category=CATEGORY, created_at__gte=now - timedelta(days=days)
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("kind", "day", "channel")
        .annotate(
            sent=Count("pk", filter=Q(status=Status.SENT)),
            waiting=Count("pk", filter=Q(status=Status.QUEUED)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
        )
        .order_by("-day", "kind", "channel")
    )
    return [SentReminders(**row) for row in rows]


def outlook(now: datetime, *, days: int, back: int) -> dict:
    """The staff's page of reminders: what the senders will send in the next ``days`` days
    (core.due.upcoming), and what went in the last ``back`` days."""
    labels = {sender.key: sender.label or sender.key for sender in due.senders()}
    return {
        "upcoming": [
            {"label": labels.get(item.sender, item.sender), "item": item}
            for item in due.upcoming(now, now + timedelta(days=days))
        ],
        "recent": recent_reminders(now, days=back),
    }
