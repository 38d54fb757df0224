"""Reads for the public exhibition pages, the printed catalogue and wall labels, and the
calendar of the open studios.
"""

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from artists.models import Exhibition, Studio, Work
from artists.selectors.profiles import accepted_artists
from artists.selectors.studios import exhibitions, works
from events.calendar import CalendarEntry
from events.models import Event, Period


def public_exhibitions(edition: Period) -> QuerySet[Exhibition]:
    """Return the edition's public exhibitions, the joint one first, then by start."""
    return (
        exhibitions()
        .filter(event__period=edition, event__visibility=Event.Visibility.PUBLIC)
        .order_by("role", "event__start", "pk")
    )


def catalogue_works(edition: Period) -> QuerySet[Work]:
    """Return the works of the edition's accepted artists, by artist name.

    Each work carries ``studio_number``: the number of the artist's published studio in
    the edition, or None.
    """
    studio_number = Studio.objects.filter(
        edition=edition, is_published=True, artists=OuterRef("artist")
    ).order_by("number", "pk")
    return (
        works()
        .filter(edition=edition, artist__in=accepted_artists(edition).values("pk"))
        .annotate(studio_number=Subquery(studio_number.values("number")[:1]))
        .order_by("artist__name", "pk")
    )


def exhibition_works(exhibition: Exhibition) -> QuerySet[Work]:
    """Return the works shown at an exhibition.

    The joint exhibition shows every accepted artist's work; a local one the works of the
    artists staff placed at its venue.
    """
    shown = catalogue_works(exhibition.event.period)
    if exhibition.role == Exhibition.Role.JOINT:
        return shown
    if exhibition.event.venue_id is None:
        return shown.none()
    return shown.filter(shared_venue_id=exhibition.event.venue_id)


def studio_calendar_entries(edition: Period, studios) -> list[CalendarEntry]:
    """Return one calendar entry per studio and open day, in the active language.

    `studios` are published studios of the edition with their venue, artists and hours
    loaded (published_studios()). Opening hours carry no timestamp of their own: an entry's
    stamp is its venue's last change, so that the same hours always give the same bytes.
    """
    tz = timezone.get_default_timezone()
    studio_list = reverse("artists:studios", args=[edition.slug])
    entries = []
    for studio in studios:
        venue = studio.venue
        if studio.number:
            summary = _("Open studio %(number)s: %(name)s") % {
                "number": studio.number,
                "name": venue.name,
            }
        else:
            summary = _("Open studio: %(name)s") % {"name": venue.name}
        artists = ", ".join(artist.name for artist in studio.artists.all())
        geo = (float(venue.latitude), float(venue.longitude)) if venue.has_coordinates else None
        entries.extend(
            CalendarEntry(
                uid=f"studio-{studio.pk}-{hours.date:%Y%m%d}@kulturvest",
                start=datetime.combine(hours.date, hours.opens, tzinfo=tz),
                end=datetime.combine(hours.date, hours.closes, tzinfo=tz),
                summary=summary,
                url=f"{studio_list}#studio-{studio.pk}",
                stamp=venue.updated_at,
                description=artists,
                location=venue.full_address,
                geo=geo,
            )
            for hours in studio.hours.all()
        )
    return entries
