"""Reads behind the QR posters: the page a poster opens, the nearby studios, the posters.

A place is a studio or an exhibition (see artists.selectors.places). Its poster carries a
short URL, /v/<code>/, that shows the place's page and registers a QR visit.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import asin, cos, radians, sin, sqrt

from django.db.models import QuerySet
from django.utils import timezone

from artists.models import Artist, Exhibition, Studio, Work
from artists.selectors.places import Place, is_host_of, place_edition, place_venue
from artists.selectors.profiles import accepted_artists
from artists.selectors.studios import exhibitions, published_studios, studios_with_details
from core.roles import is_staff_member
from events.models import Event, Period

NEARBY_STUDIOS = 5
EARTH_RADIUS_KM = 6371.0


@dataclass
class Showing:
    """An artist at a place, with the work they show in the edition (None if not registered)."""

    artist: Artist
    work: Work | None = None


@dataclass
class NearbyStudio:
    studio: Studio
    distance_km: float
    open_today: bool
    hours_today: list = field(default_factory=list)


@dataclass
class Poster:
    """What one printed poster shows: the place, its artists and its opening hours."""

    place: Place
    showings: list[Showing]

    @property
    def is_studio(self) -> bool:
        return isinstance(self.place, Studio)

    @property
    def hours(self):
        return list(self.place.hours.all())


# Who sees what ---------------------------------------------------------------------------


def place_visible_to(user, place: Place) -> bool:
    """Return True if the user may open the place's page.

    An unpublished studio is often an artist's home: only staff and its own artists see it
    before staff publish its number. An exhibition is hidden only if its event is not public.
    """
    if isinstance(place, Studio):
        public = place.is_published
    else:
        public = place.event.visibility == Event.Visibility.PUBLIC
    return public or is_staff_member(user) or is_host_of(user, place)


# When visits count -----------------------------------------------------------------------


def counting_days(place: Place) -> set[date]:
    """Return the days on which opening the place's poster URL registers a visit.

    These are the place's open days, the days it has opening hours: a poster scanned
    before the place opens, or long after the edition, shows the page but counts nothing.
    An exhibition without opening hours counts on the days of its event; a cancelled
    exhibition never counts.
    """
    if isinstance(place, Exhibition) and place.event.status == Event.Status.CANCELLED:
        return set()
    days = {hours.date for hours in place.hours.all()}
    if days or isinstance(place, Studio):
        return days
    event = place.event
    first = timezone.localtime(event.start).date()
    last = timezone.localtime(event.end).date()
    return {first + timedelta(days=offset) for offset in range((last - first).days + 1)}


def counts_visits_on(place: Place, day: date) -> bool:
    return day in counting_days(place)


# The place's page ------------------------------------------------------------------------


def _edition_works(edition: Period) -> QuerySet[Work]:
    """Return the works of an edition's accepted artists, with the artist, in name order."""
    return (
        Work.objects.filter(edition=edition, artist__in=accepted_artists(edition).values("pk"))
        .select_related("artist")
        .order_by("artist__name", "pk")
    )


def _exhibition_showings(exhibition: Exhibition, works: list[Work]) -> list[Showing]:
    """Return what an exhibition shows, from the works of its edition.

    The joint exhibition shows every accepted artist's work; a local exhibition shows the
    works placed at its venue (Work.shared_venue).
    """
    if exhibition.role == Exhibition.Role.JOINT:
        chosen = works
    else:
        chosen = [work for work in works if work.shared_venue_id == exhibition.event.venue_id]
    return [Showing(artist=work.artist, work=work) for work in chosen]


def showings_at(place: Place) -> list[Showing]:
    """Return the artists at a place, each with their work of the edition, in name order."""
    edition = place_edition(place)
    if isinstance(place, Studio):
        artists = list(place.artists.all())
        works = {
            work.artist_id: work
            for work in Work.objects.filter(edition=edition, artist__in=artists)
        }
        return [Showing(artist=artist, work=works.get(artist.pk)) for artist in artists]
    return _exhibition_showings(place, list(_edition_works(edition)))


def haversine_km(latitude_a, longitude_a, latitude_b, longitude_b) -> float:
    """Return the great-circle distance in kilometres between two points in degrees."""
    lat_a, lon_a, lat_b, lon_b = (
        radians(float(value)) for value in (latitude_a, longitude_a, latitude_b, longitude_b)
    )
    half = sin((lat_b - lat_a) / 2) ** 2 + cos(lat_a) * cos(lat_b) * sin((lon_b - lon_a) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(min(1.0, half)))


def nearby_studios(place: Place, *, today: date, limit: int = NEARBY_STUDIOS) -> list[NearbyStudio]:
    """Return the nearest other published studios of the place's edition, nearest first.

    Distances are measured in Python between the venues' coordinates; studios without
    coordinates, and any place without them, have no neighbours.
    """
    venue = place_venue(place)
    if venue is None or not venue.has_coordinates:
        return []
    candidates = published_studios(place_edition(place)).filter(
        venue__latitude__isnull=False, venue__longitude__isnull=False
    )
    if isinstance(place, Studio):
        candidates = candidates.exclude(pk=place.pk)
    found = []
    for studio in candidates:
        distance = haversine_km(
            venue.latitude, venue.longitude, studio.venue.latitude, studio.venue.longitude
        )
        hours_today = [hours for hours in studio.hours.all() if hours.date == today]
        found.append(
            NearbyStudio(
                studio=studio,
                distance_km=distance,
                open_today=bool(hours_today),
                hours_today=hours_today,
            )
        )
    found.sort(key=lambda nearby: (nearby.distance_km, nearby.studio.number or 0))
    return found[:limit]


# Posters ---------------------------------------------------------------------------------


def poster_of(place: Place) -> Poster:
    return Poster(place=place, showings=showings_at(place))


def edition_posters(edition: Period) -> list[Poster]:
    """Return the poster of every place of an edition: exhibitions, then studios by number.

    Unpublished studios are included: staff print their posters before the tour opens.
    The queries do not grow with the number of places.
    """
    works = list(_edition_works(edition))
    posters = [
        Poster(place=exhibition, showings=_exhibition_showings(exhibition, works))
        for exhibition in exhibitions().filter(event__period=edition)
    ]
    studios = (
        studios_with_details()
        .filter(edition=edition)
        .select_related("edition")
        .order_by("number", "venue__name", "pk")
    )
    works_by_artist = {work.artist_id: work for work in works}
    for studio in studios:
        showings = [
            Showing(artist=artist, work=works_by_artist.get(artist.pk))
            for artist in studio.artists.all()
        ]
        posters.append(Poster(place=studio, showings=showings))
    # Studios without a number yet come last, not first.
    posters.sort(
        key=lambda poster: (poster.is_studio, poster.is_studio and poster.place.number is None)
    )
    return posters
