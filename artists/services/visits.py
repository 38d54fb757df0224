"""Registering QR visits: a visitor's phone opening the short URL of a place's poster.

QR visits are an engagement signal, kept in their own table (QrVisit) and never written
as tallies. They hold no personal data: the once-per-device-per-day rule lives in a
signed cookie on the visitor's phone, and the rate limit (core.ratelimit, shared by all
app servers) keys its counters by a keyed hash of the client address, which is never stored.
"""

from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists.exceptions import ArtistsError
from artists.models import QrVisit, Studio
from artists.selectors.places import Place, is_host_of, place_edition
from artists.selectors.visits import counts_visits_on
from core.ratelimit import QR_VISITS, take
from core.roles import is_staff_member


class QrVisitRateLimited(ArtistsError):
    """Too many QR visits were registered from one client address within a minute."""

    def __init__(self, retry_after: int):
        super().__init__(_("Too many visits were registered from your network. Try again soon."))
        self.retry_after = retry_after


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
    retry_after = take(QR_VISITS, client_address)
    if retry_after is not None:
        raise QrVisitRateLimited(retry_after)
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
