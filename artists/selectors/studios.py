"""Reads about an edition's exhibitions, works and open studios."""

from datetime import date
from itertools import groupby

from django.db.models import Prefetch, Q, QuerySet

from artists.models import Artist, Exhibition, ExhibitionHours, Studio, StudioHours, Work
from artists.selectors.profiles import accepted_editions
from core.roles import is_staff_member
from events.models import Municipality, Period


def studios_with_details() -> QuerySet[Studio]:
    """Return studios with their venue, artists and hours: a constant number of queries."""
    return Studio.objects.select_related("venue__municipality").prefetch_related(
        Prefetch("artists", queryset=Artist.objects.order_by("name", "pk")),
        Prefetch("hours", queryset=StudioHours.objects.order_by("date", "opens")),
    )


def open_studios(edition: Period) -> QuerySet[Studio]:
    """Return the edition's studios with their venue, artists and hours, in number order."""
    return studios_with_details().filter(edition=edition).order_by("number", "venue__name", "pk")


def published_studios(edition: Period) -> QuerySet[Studio]:
    """Return the studios the public sees: those whose numbers staff have published.

    An artist's studio is often their home: its address is public only once staff publish.
    """
    return open_studios(edition).filter(is_published=True)


def studios_visible_to(user) -> QuerySet[Studio]:
    """Return the studios a user may read: published ones, their own, or all for staff."""
    studios = studios_with_details()
    if is_staff_member(user):
        return studios.order_by("edition", "number", "pk")
    visible = Q(is_published=True)
    if user is not None and user.is_authenticated:
        visible |= Q(pk__in=Studio.objects.filter(artists__user=user).values("pk"))
    return studios.filter(visible).order_by("edition", "number", "pk")


def filter_studios(
    studios: QuerySet[Studio],
    *,
    day: date | None = None,
    municipality: Municipality | None = None,
    step_free: bool = False,
) -> QuerySet[Studio]:
    """Return the studios open on the day, in the municipality, with step-free access:
    each filter that is given (step-free only when True: "unknown" is not step-free)."""
    if day is not None:
        studios = studios.filter(hours__date=day)
    if municipality is not None:
        studios = studios.filter(venue__municipality=municipality)
    if step_free:
        studios = studios.filter(step_free=True)
    return studios


def studio_municipalities(edition: Period) -> QuerySet[Municipality]:
    """Return the municipalities of the edition's published studios, by name."""
    return Municipality.objects.filter(
        pk__in=published_studios(edition).values("venue__municipality")
    ).order_by("name", "pk")


def listed_studios(edition: Period, **filters) -> list[Studio]:
    """Return the published studios the public list shows (those with opening hours),
    filtered as filter_studios() does, by municipality name and number."""
    studios = filter_studios(published_studios(edition), **filters).order_by(
        "venue__municipality__name", "number", "pk"
    )
    return [studio for studio in studios if studio.hours.all()]


def studios_by_municipality(edition: Period, **filters) -> list[tuple[str, list[Studio]]]:
    """Return the edition's published studios with opening hours, grouped by municipality
    and filtered as filter_studios() does."""
    studios = listed_studios(edition, **filters)
    return [
        (name, list(group))
        for name, group in groupby(studios, key=lambda studio: studio.venue.municipality.name)
    ]


def exhibitions() -> QuerySet[Exhibition]:
    """Return every exhibition with its event, venue, municipalities and hours."""
    return (
        Exhibition.objects.select_related(
            "event__venue__municipality", "event__period", "host_municipality"
        )
        .prefetch_related(
            "organising_municipalities",
            Prefetch("hours", queryset=ExhibitionHours.objects.order_by("date")),
        )
        .order_by("event__start", "pk")
    )


def works() -> QuerySet[Work]:
    """Return every work with its artist, edition and shared venue."""
    return Work.objects.select_related("artist", "edition", "shared_venue").order_by(
        "edition", "artist__name", "pk"
    )


def current_edition_of(artist: Artist) -> Period | None:
    """Return the newest edition the artist was accepted to (released), or None."""
    return accepted_editions(artist).first()


def studio_of(artist: Artist, edition: Period) -> Studio | None:
    return open_studios(edition).filter(artists=artist).first()
