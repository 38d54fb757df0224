"""Scheduled tasks of Kunst rett vest (config.settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from artists.services import tallies


@shared_task(acks_late=True)
def remind_missing_tallies() -> int:
    """Remind hosts whose place reported no counts on an open day yesterday (mornings).

    Idempotent: a place and day reminded about already is skipped, and the email's key is
    the place and the day. Returns how many reminders were recorded.
    """
    return len(tallies.remind_missing_tallies().reminders)
