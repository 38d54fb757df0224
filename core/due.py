"""Everything that is due to be sent at a moment: combined change notices, reminders and
scheduled group messages, run by ``manage.py send_due_messages`` (Celery beat runs it every
minute as core.tasks.send_due_messages; an operator or a test runs it by hand).

Each app registers its senders here (in its AppConfig.ready, by importing a module that
uses ``@due_sender``). A sender takes the moment ``now`` and sends what is due at it, each
message once: it queues outbound messages (core.mail) under keys that name the logical
message, so a second run at the same moment, or two runs at once, sends nothing more.
A sender that fails is logged and the others still run.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upcoming:
    """One message (or batch) a sender will send: what, when, to how many people."""

    sender: str
    what: str  # a short description that names no child
    at: datetime
    recipients: int


@dataclass(frozen=True)
class DueSender:
    key: str
    send: Callable[[datetime], int]
    order: int
    # upcoming(now, until) -> [Upcoming]: what it will send before ``until`` (a staff page)
    upcoming: Callable[[datetime, datetime], list[Upcoming]] | None = None
    label: str = ""


_SENDERS: dict[str, DueSender] = {}


def due_sender(
    key: str,
    *,
    order: int = 100,
    upcoming: Callable[[datetime, datetime], list[Upcoming]] | None = None,
    label: str = "",
):
    """Register ``function(now) -> int`` (how many messages it queued) under ``key``.

    Lower ``order`` runs first (change notices before reminders, so a reminder about a
    moved event follows the notice). Registering the same key twice replaces the first
    (a module imported again in a test). ``upcoming(now, until)``, if given, lists what the
    sender will send between the two moments, in a fixed number of queries (the staff's
    page of scheduled reminders); ``label`` names the sender there.
    """

    def register(function: Callable[[datetime], int]):
        _SENDERS[key] = DueSender(
            key=key, send=function, order=order, upcoming=upcoming, label=label
        )
        return function

    return register


def senders() -> list[DueSender]:
    return sorted(_SENDERS.values(), key=lambda sender: (sender.order, sender.key))


@dataclass(frozen=True)
class DueRun:
    key: str
    queued: int
    error: str = ""


def send_due_messages(now: datetime | None = None, *, only: str = "") -> list[DueRun]:
    """Run every registered sender (or the one named ``only``) for ``now``; each in a
    transaction of its own, so one that fails undoes only its own work."""
    now = now or timezone.now()
    runs = []
    for sender in senders():
        if only and sender.key != only:
            continue
        try:
            with transaction.atomic():
                queued = sender.send(now) or 0
        except Exception as error:
            logger.exception("Due messages %s failed", sender.key)
            runs.append(DueRun(sender.key, 0, f"{type(error).__name__}: {error}"))
        else:
            if queued:
                logger.info("Due messages %s: %s queued", sender.key, queued)
            runs.append(DueRun(sender.key, queued))
    return runs


def upcoming(now: datetime, until: datetime) -> list[Upcoming]:
    """What the senders that can tell will send between ``now`` and ``until``, in time
    order (those already due at ``now`` first)."""
    found = []
    for sender in senders():
        if sender.upcoming is not None:
            found.extend(sender.upcoming(now, until))
    return sorted(found, key=lambda item: (item.at, item.sender, item.what))
