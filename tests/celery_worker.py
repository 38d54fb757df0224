"""A real Celery worker for the tests: another process on the same test database, taking
its tasks from a Redis database of the test's own (emptied first).

Such a test runs only on PostgreSQL (two processes on one test database) and when Redis
answers on 127.0.0.1:6379; ``worker_test_marks(broker)`` says so. ``run_worker(broker,
settings, env)`` starts the worker with the test's database and broker (and ``env``, such as
a mail server or an SMS provider), points this process's Celery app at the same broker,
yields the worker's process and stops it; ``wait_while_queued(outbound)`` waits for it
to send a message.
"""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.celery import app

ROOT = Path(__file__).resolve().parents[1]


def redis_answers(broker: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(broker, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


def worker_test_marks(broker: str) -> list:
    """The marks of a module of tests with a real worker on ``broker``."""
    return [
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(not redis_answers(broker), reason="needs Redis on 127.0.0.1:6379"),
    ]


@contextlib.contextmanager
def run_worker(broker: str, settings, env: dict[str, str] | None = None):
    """A Celery worker (one process, solo pool) on the test database and ``broker``."""
    import redis
    from django.db import connection

    redis.Redis.from_url(broker).flushdb()
    database = connection.settings_dict
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                f"/{database['NAME']}"
            ),
            "CELERY_BROKER_URL": broker,
            **(env or {}),
        },
    )
    settings.CELERY_BROKER_URL = broker
    before = app.conf.broker_url
    _use_broker(broker)
    try:
        yield process
    finally:
        _use_broker(before)
        process.terminate()
        process.wait(timeout=20)


def _use_broker(url: str) -> None:
    """Point this process's Celery app at ``url``.

    The app keeps its connections to the broker in a pool: without dropping it, a second
    worker test in the session would send its tasks to the first test's broker.
    """
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def wait_while_queued(outbound, *, timeout: float = 60) -> None:
    """Wait until the worker has sent (or failed) ``outbound``, at most ``timeout`` s."""
    from core.models import OutboundMessage

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outbound.refresh_from_db()
        if outbound.status != OutboundMessage.Status.QUEUED:
            return
        time.sleep(0.25)
