"""Queue a background task (a Celery task) to run after the transaction commits.

With a broker (CELERY_BROKER_URL) the task goes to a worker; without one it runs in this
process right after commit, so a development server needs nothing else. Nothing runs if
the transaction rolls back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Run ``task(*args)`` after commit: in a worker with a broker, here without one.

    Tasks are idempotent (the caller's record carries the idempotency key), so a retry or
    a task delivered twice does its work once.
    """
    if settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: task.delay(*args), robust=True)
    else:
        transaction.on_commit(lambda: _run_here(task, *args))


def _run_here(task, *args) -> None:
    # apply() runs the task in this process as if its retries were used up: one attempt,
    # since a retry here would make the request wait out the backoff. Its failure ends in
    # the task's own record (an outbound message marked failed, for staff to resend),
    # never in the request.
    result = task.apply(args=args, retries=task.max_retries or 0)
    if result.failed():
        logger.warning("Task %s failed in process: %r", task.name, result.result)


def requeue_stalled(waiting: QuerySet, task, *args, older_than: timedelta) -> int:
    """Enqueue ``task(pk, *args)`` again for each row of ``waiting`` queued longer ago
    than ``older_than``; return how many.

    For records whose task was lost (the process died after the commit, or the broker was
    down): ``waiting`` is the rows still waiting with no attempt, with a ``queued_at``. The
    task must claim its row (select_for_update), so a row enqueued twice is done once; a
    row being worked on now is locked and skipped here. Each row swept is marked queued
    now, so the next run leaves it alone for ``older_than``.
    """
    now = timezone.now()
    with transaction.atomic():
        stalled = list(
            waiting.select_for_update(skip_locked=True)
            .filter(queued_at__lt=now - older_than)
            .order_by("queued_at", "pk")
            .values_list("pk", flat=True)[:500]
        )
        waiting.model.objects.filter(pk__in=stalled).update(queued_at=now)
        for pk in stalled:
            enqueue(task, pk, *args)
    if stalled:
        logger.warning(
            "Requeued %s %s that were never enqueued", len(stalled), waiting.model._meta.label
        )
    return len(stalled)
