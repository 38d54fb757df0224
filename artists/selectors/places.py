"""Reads about the places where visits are counted: an edition's studios and exhibitions.

A place is a Studio or an Exhibition. Hosts count at their own places: the artists of a
studio, and the hosts of an exhibition's event (events.Event.hosts). Staff count anywhere.
"""

from datetime import date

from django.db.models import Q, QuerySet

from artists.models import Exhibition, Studio
from artists.selectors.studios import exhibitions, studios_with_details
from core.roles import is_staff_member
from events.models import Period

Place = Studio | Exhibition


def place_edition(place: Place) -> Period:
    return place.edition if isinstance(place, Studio) else place.event.period


def place_venue(place: Place):
    return place.venue if isinstance(place, Studio) else place.event.venue


def place_name(place: Place) -> str:
    """The name of a place on lists and posters: the studio's number and venue, or the event."""
    if isinstance(place, Studio):
        prefix = f"{place.number}. " if place.number else ""
        return f"{prefix}{place.venue.name}"
    return str(place.event)


def open_days(place: Place) -> list[date]:
    """Return the days the place is open, from its opening hours (prefetched if possible)."""
    return sorted({hours.date for hours in place.hours.all()})


def is_host_of(user, place: Place) -> bool:
    """Return True if the user counts visits at the place: its artist or its event's host."""
    if user is None or not user.is_authenticated:
        return False
    if isinstance(place, Studio):
        return any(artist.user_id == user.pk for artist in place.artists.all())
    return place.event.hosts.filter(pk=user.pk).exists()


def may_count_at(user, place: Place) -> bool:
    """Return True if the user may record and correct tallies at the place."""
    return is_staff_member(user) or is_host_of(user, place)


def studios_hosted_by(user, edition: Period | None = None) -> QuerySet[Studio]:
    """Return the studios whose tallies the user keeps (all for staff)."""
    studios = studios_with_details()
    if not is_staff_member(user):
        studios = studios.filter(artists__user=user) if user.is_authenticated else studios.none()
    if edition is not None:
        studios = studios.filter(edition=edition)
    return studios.order_by("edition", "number", "pk")


def exhibitions_hosted_by(user, edition: Period | None = None) -> QuerySet[Exhibition]:
    """Return the exhibitions whose tallies the user keeps (all for staff)."""
    found = exhibitions()
    if not is_staff_member(user):
        found = found.filter(event__hosts=user) if user.is_authenticated else found.none()
    if edition is not None:
        found = found.filter(event__period=edition)
    return found


def places_hosted_by(user, edition: Period | None = None) -> list[Place]:
    """Return the exhibitions, then the studios, where the user counts visits."""
    return [*exhibitions_hosted_by(user, edition), *studios_hosted_by(user, edition)]


def place_filter(place: Place) -> Q:
    """A filter on a CountedPlace table (tallies, QR visits, reminders) for one place."""
    if isinstance(place, Studio):
        return Q(studio=place)
    return Q(exhibition=place)


def place_by_code(code: str) -> Place | None:
    """Return the studio or exhibition whose poster carries this short code, or None."""
    studio = studios_with_details().filter(code=code).select_related("edition").first()
    if studio is not None:
        return studio
    return exhibitions().filter(code=code).first()
