"""Queue a background task (a Celery task) to run after the transaction commits.

With a broker (CELERY_BROKER_URL) the task goes to a worker; without one it runs in this
process right after commit, so a development server needs nothing else. Nothing runs if
the transaction rolls back.
"""

import logging

from django.conf import settings
from django.db import transaction

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
