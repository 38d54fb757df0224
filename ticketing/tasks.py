"""Scheduled tasks of ticketing (config.settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from ticketing import services


@shared_task(acks_late=True)
def expire_waitlist_offers() -> int:
    """Cancel the waitlist offers that expired and offer their places on (every 5 minutes).

    Idempotent: an offer expires once; a second run finds none. Returns how many expired.
    """
    return services.expire_waitlist_offers()
