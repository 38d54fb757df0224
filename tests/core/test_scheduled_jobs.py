"""Scheduled work runs from Celery beat with the schedule in code (config.settings
CELERY_BEAT_SCHEDULE): every entry names a registered task, at the documented times, and
each task is idempotent (run twice, the second run does nothing)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.utils import timezone

from config.celery import app
from core.mail import queue_email
from core.models import OutboundMessage
from core.tasks import apply_retention, clear_sessions, prune_change_stamps

EVERY_FIVE_MINUTES = set(range(0, 60, 5))
EVERY_HOUR = set(range(24))
EVERY_DAY = set(range(7))


def test_every_entry_names_a_registered_task():
    app.loader.import_default_modules()  # what a worker and beat load
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "ticketing.tasks.expire_waitlist_offers",
        "core.tasks.requeue_stalled_messages",
        "core.webhooks.requeue_stalled_deliveries",
        "core.tasks.apply_retention",
        "core.tasks.clear_sessions",
        "core.tasks.prune_change_stamps",
        "core.tasks.send_due_messages",
    }
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_the_schedule_runs_at_the_documented_times_in_oslo():
    assert app.conf.timezone == "Europe/Oslo"
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}

    def times(task):
        crontab = schedule[task]
        return crontab.minute, crontab.hour, crontab.day_of_week

    every_five = (EVERY_FIVE_MINUTES, EVERY_HOUR, EVERY_DAY)
    assert times("ticketing.tasks.expire_waitlist_offers") == every_five
    assert times("core.tasks.requeue_stalled_messages") == every_five
    assert times("core.webhooks.requeue_stalled_deliveries") == every_five
    assert times("core.tasks.apply_retention") == ({15}, {3}, EVERY_DAY)  # nightly
    assert times("core.tasks.clear_sessions") == ({45}, {3}, EVERY_DAY)  # nightly
    assert times("core.tasks.prune_change_stamps") == ({15}, {4}, EVERY_DAY)  # nightly
    every_minute = (set(range(60)), EVERY_HOUR, EVERY_DAY)
    assert times("core.tasks.send_due_messages") == every_minute


@pytest.mark.django_db
def test_retention_run_twice_clears_once(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue_email(
            EmailMessage(subject="Hei", body="Tekst", to=["kari@example.org"]), kind="test.old"
        )
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        created_at=timezone.now() - timedelta(days=settings.OUTBOUND_RETENTION_DAYS + 2)
    )
    assert apply_retention.apply().get() >= 1
    assert not OutboundMessage.objects.filter(pk=outbound.pk).exists()
    assert apply_retention.apply().get() == 0  # nothing is due a second time


@pytest.mark.django_db
def test_clearing_sessions_twice_deletes_the_expired_once():
    expired, current = SessionStore(), SessionStore()
    expired.set_expiry(1)
    expired.create()
    current.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    clear_sessions.apply().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    clear_sessions.apply().get()  # nothing expired is left
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


@pytest.mark.django_db
def test_the_stamp_prune_run_twice_prunes_once():
    from core.stamps import bump, read_stamps

    with time_machine.travel(timezone.now() - timedelta(days=3)):
        for _ in range(3):
            bump("test:pruned")
            read_stamps(["test:pruned"])  # else this test's one transaction inserts once
    assert prune_change_stamps.apply().get() == 2  # the key's newest row stays
    assert prune_change_stamps.apply().get() == 0
