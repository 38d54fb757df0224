"""The art round's panels on the dashboard (core.dashboard): decisions and letters and the
missing visitor counts for staff, reviews left for a juror, an artist's own round, and the
places a host or an artist counts at today."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists import policies
from artists.selectors.dashboard import (
    calls_needing_staff,
    calls_to_apply_to,
    missing_counts,
    next_open_days,
    own_applications,
    places_open_on,
    reviews_left_for,
    works_without_a_sale,
)
from artists.selectors.profiles import artist_of
from core import dashboard


def decisions_panel(user, now) -> dict | None:
    """Closed calls with applications waiting for a decision or a release, letters unsent."""
    calls = calls_needing_staff(now=now)
    return {"calls": calls} if calls else None


def counts_panel(user, now) -> dict | None:
    """Open days up to today without a visitor count in the current edition."""
    missing = missing_counts(today=timezone.localdate(now))
    return {"missing": missing} if missing is not None and missing.days else None


def jury_panel(user, now) -> dict | None:
    """The reviews the juror has left per call, with the end of the review window."""
    calls = reviews_left_for(user, now=now)
    return {"calls": calls, "now": now} if calls else None


def artist_panel(user, now) -> dict | None:
    """The artist's applications and open calls, their studio's next open days, and the
    works for sale without a recorded sale."""
    artist = artist_of(user)
    if artist is None:
        return None
    today = timezone.localdate(now)
    return {
        "applications": own_applications(user),
        "open_calls": calls_to_apply_to(artist, now=now),
        "open_days": next_open_days(user, today=today),
        "unsold": works_without_a_sale(user, today=today),
        "today": today,
    }


def counting_panel(user, now) -> dict | None:
    """The user's own places open today, with the visitors counted so far."""
    places = places_open_on(user, day=timezone.localdate(now))
    return {"places": places} if places else None


def register_panels() -> None:
    for key, title, template, policy, order, context in [
        (
            "artists.decisions",
            _("Decisions and letters"),
            "artists/dashboard/decisions.html",
            policies.DECIDE_ON_APPLICATIONS,
            14,
            decisions_panel,
        ),
        (
            "artists.counts",
            _("Visitor counts missing"),
            "artists/dashboard/counts.html",
            policies.ART_ROUND_STAFF,
            16,
            counts_panel,
        ),
        (
            "artists.jury",
            _("Reviews left"),
            "artists/dashboard/jury.html",
            policies.JURY,
            20,
            jury_panel,
        ),
        (
            "artists.artist",
            _("Your art round"),
            "artists/dashboard/artist.html",
            policies.OWN_ARTIST_PAGES,
            30,
            artist_panel,
        ),
        (
            "artists.counting",
            _("Counting today"),
            "artists/dashboard/counting.html",
            policies.COUNT_VISITORS,
            35,
            counting_panel,
        ),
    ]:
        dashboard.register(key, title, template, policy, order=order, context=context)
