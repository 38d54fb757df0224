"""Open studios of an edition: the artists' studios, their opening hours and their numbers.

Invalid values raise Django's ValidationError keyed by field; a broken rule of the art
round raises ArtistsError.
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.models import Artist, Studio, StudioHours, check_in_norway
from artists.selectors.profiles import accepted_artists, may_edit_artist
from artists.weekends import open_studio_days
from core.audit import diff, field_values, log_action
from core.roles import is_staff_member
from events.models import Municipality, Period, Venue

VENUE_FIELDS = ("name", "address", "postcode", "place", "latitude", "longitude", "accessibility")
# Fields of the studio itself that update_studio_venue changes with the venue's.
STUDIO_FIELDS = ("step_free",)


def _check_member(by, studio: Studio) -> None:
    if is_staff_member(by):
        return
    if not any(may_edit_artist(by, artist) for artist in studio.artists.all()):
        raise ArtistsError(_("You may only change a studio you show in."))


def _check_participant(artist: Artist, edition: Period) -> None:
    if not accepted_artists(edition).filter(pk=artist.pk).exists():
        raise ArtistsError(_("Only artists accepted to this edition open a studio in it."))
    if Studio.objects.filter(edition=edition, artists=artist).exists():
        raise ArtistsError(_("You already have a studio in this edition."))


@transaction.atomic
def register_studio(
    *,
    artist: Artist,
    edition: Period,
    by,
    name: str,
    municipality: Municipality,
    address: str = "",
    postcode: str = "",
    place: str = "",
    latitude=None,
    longitude=None,
    accessibility: str = "",
    step_free: bool | None = None,
) -> Studio:
    """Make the artist's studio for the edition: a new venue, with the artist in it.

    Preconditions: ``by`` is the artist themself or staff; the artist was accepted to
    the edition and has no studio in it yet; typed coordinates lie in Norway.
    """
    if not may_edit_artist(by, artist):
        raise ArtistsError(_("You may only register your own studio."))
    Artist.objects.select_for_update().filter(pk=artist.pk).first()
    _check_participant(artist, edition)
    venue = Venue(
        name=name.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        place=place.strip(),
        municipality=municipality,
        latitude=latitude,
        longitude=longitude,
        accessibility=accessibility.strip(),
    )
    venue.full_clean()
    check_in_norway(venue.latitude, venue.longitude)
    venue.save()
    studio = Studio(edition=edition, venue=venue, step_free=step_free)
    studio.full_clean()
    studio.save()
    studio.artists.add(artist)
    log_action(
        studio,
        "artists.studio.registered",
        by,
        changes={
            "artist": [None, artist.pk],
            "venue": [None, venue.pk],
            **({"step_free": [None, step_free]} if step_free is not None else {}),
        },
    )
    return studio


@transaction.atomic
def update_studio_venue(*, studio: Studio, by, values: dict) -> Studio:
    """Change the address, coordinates or accessibility (notes, step-free) of a studio.

    Logs one audit entry with what changed, if anything did.
    """
    _check_member(by, studio)
    unknown = set(values) - set(VENUE_FIELDS) - set(STUDIO_FIELDS) - {"municipality"}
    if unknown:
        raise TypeError(f"Unknown studio fields: {', '.join(sorted(unknown))}")
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    venue = Venue.objects.select_for_update().get(pk=studio.venue_id)
    venue_values = {name: value for name, value in values.items() if name not in STUDIO_FIELDS}
    studio_values = {name: value for name, value in values.items() if name in STUDIO_FIELDS}
    venue_before = field_values(venue, venue_values.keys())
    studio_before = field_values(studio, studio_values.keys())
    for field, value in venue_values.items():
        setattr(venue, field, value.strip() if isinstance(value, str) else value)
    venue.full_clean()
    check_in_norway(venue.latitude, venue.longitude)
    venue.save()
    for field, value in studio_values.items():
        setattr(studio, field, value)
    if studio_values:
        studio.full_clean()
        studio.save(update_fields=list(studio_values))
    changes = {**diff(venue, venue_before), **diff(studio, studio_before)}
    if changes:
        log_action(studio, "artists.studio.updated", by, changes=changes)
    return Studio.objects.get(pk=studio.pk)


@transaction.atomic
def join_studio(*, artist: Artist, studio: Studio, by) -> Studio:
    """Add the artist to a shared studio of the edition.

    Preconditions: ``by`` is the artist themself or staff; the artist was accepted to
    the studio's edition and has no studio in it yet.
    """
    if not may_edit_artist(by, artist):
        raise ArtistsError(_("You may only register your own studio."))
    Artist.objects.select_for_update().filter(pk=artist.pk).first()
    _check_participant(artist, studio.edition)
    studio.artists.add(artist)
    log_action(studio, "artists.studio.joined", by, changes={"artist": [None, artist.pk]})
    return studio


@transaction.atomic
def set_studio_hours(*, studio: Studio, by, day: date, opens: time, closes: time) -> StudioHours:
    """Set when the studio is open on a day of one of the edition's open-studio weekends.

    Preconditions: ``by`` shows in the studio or is staff; the day falls within an
    open-studio weekend of the edition; the studio closes after it opens.
    """
    _check_member(by, studio)
    if day not in open_studio_days(studio.edition):
        raise ArtistsError(_("The day must fall within an open-studio weekend of the edition."))
    hours = StudioHours.objects.filter(studio=studio, date=day).first() or StudioHours(
        studio=studio, date=day
    )
    hours.opens = opens
    hours.closes = closes
    hours.full_clean()
    hours.save()
    return hours


@transaction.atomic
def clear_studio_hours(*, studio: Studio, by, day: date) -> None:
    """Mark the studio closed on a day."""
    _check_member(by, studio)
    StudioHours.objects.filter(studio=studio, date=day).delete()


def set_studio_week_hours(*, studio: Studio, by, hours) -> None:
    """Set the studio's hours for several days at once from (day, opens, closes) triples:
    a day with neither time is closed. Each day is saved on its own; the errors of the
    days that are not (one time without the other, a closing before the opening) are
    raised together as one ValidationError at the end.

    Preconditions: as set_studio_hours and clear_studio_hours.
    """
    errors = []
    for day, opens, closes in hours:
        if opens is None and closes is None:
            clear_studio_hours(studio=studio, by=by, day=day)
            continue
        if opens is None or closes is None:
            errors.append(_("Give both the opening and the closing time, or neither."))
            continue
        try:
            set_studio_hours(studio=studio, by=by, day=day, opens=opens, closes=closes)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def number_studios(*, edition: Period) -> list[Studio]:
    """Give the edition's studios numbers by municipality and venue name.

    Published numbers never change: the others are numbered after the highest published.
    """
    studios = list(
        Studio.objects.select_for_update()
        .filter(edition=edition)
        .select_related("venue__municipality")
        .order_by("venue__municipality__name", "venue__name", "pk")
    )
    published = [studio for studio in studios if studio.is_published]
    next_number = max((studio.number or 0 for studio in published), default=0) + 1
    unpublished = [studio for studio in studios if not studio.is_published]
    # Clear first, so that the unique number per edition holds while renumbering.
    Studio.objects.filter(pk__in=[studio.pk for studio in unpublished]).update(number=None)
    for studio in unpublished:
        studio.number = next_number
        next_number += 1
    Studio.objects.bulk_update(unpublished, ["number"])
    return studios


@transaction.atomic
def publish_studio_numbers(*, edition: Period) -> list[Studio]:
    """Number the edition's studios and publish the numbers, which then stay as they are."""
    studios = number_studios(edition=edition)
    Studio.objects.filter(edition=edition).update(is_published=True)
    return studios
