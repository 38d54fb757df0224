"""Registering QR visits: a visitor's phone opening the short URL of a place's poster.

QR visits are an engagement signal, kept in their own table (QrVisit) and never written
as tallies. They hold no personal data: the once-per-device-per-day rule lives in a
signed cookie on the visitor's phone, and the rate limit keys the cache by a keyed hash
of the client address, which is never stored.
"""

from collections.abc import Collection
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from artists.exceptions import ArtistsError
from artists.models import QrVisit, Studio
from artists.selectors.places import Place, is_host_of, place_edition
from artists.selectors.visits import counts_visits_on
from events.roles import is_staff_member

RATE_KEY_SALT = "artists.qr-visits.rate"


class QrVisitRateLimited(ArtistsError):
    """Too many QR visits were registered from one client address within a minute."""

    def __init__(self):
        super().__init__(_("Too many visits were registered from your network. Try again soon."))


def _rate_key(client_address: str, now: datetime) -> str:
    # A keyed hash: the few billion IPv4 addresses could be tried against a plain one.
    digest = salted_hmac(RATE_KEY_SALT, client_address or "unknown").hexdigest()[:32]
    return f"qr-visits:{digest}:{int(now.timestamp()) // 60}"


def _take_rate_slot(client_address: str, now: datetime) -> bool:
    """Count one registration for the client address this minute; False if over the limit."""
    key = _rate_key(client_address, now)
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=120)
        used = 1
    return used <= settings.QR_VISITS_PER_MINUTE


@transaction.atomic
def register_qr_visit(
    *,
    place: Place,
    user=None,
    client_address: str,
    counted_today: Collection[str] = (),
    today: date | None = None,
) -> QrVisit | None:
    """Register one QR visit at the place for today, or return None if it does not count.

    It does not count when the user is staff or one of the place's hosts, when today is
    not one of the place's open days (see counting_days), or when the place's code is in
    ``counted_today``: the codes this device was counted at today, read by the caller from
    its signed cookie. Raise QrVisitRateLimited, counting nothing, when the client address
    registered more than settings.QR_VISITS_PER_MINUTE visits this minute.

    Preconditions: the place is visible to the user (an unpublished studio is not opened by
    the public).
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    if is_staff_member(user) or is_host_of(user, place):
        return None
    if place.code in counted_today or not counts_visits_on(place, today):
        return None
    if not _take_rate_slot(client_address, now):
        raise QrVisitRateLimited
    is_studio = isinstance(place, Studio)
    visit = QrVisit(
        edition=place_edition(place),
        studio=place if is_studio else None,
        exhibition=None if is_studio else place,
        date=today,
        registered_at=now,
    )
    visit.full_clean()
    visit.save()
    return visit
