"""The works accepted artists show in an edition's joint exhibition.

Invalid values raise Django's ValidationError keyed by field; a broken rule of the art
round (a second work, an artist who was not accepted) raises ArtistsError.
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.images import delete_files_on_commit, prepare_image
from artists.models import Artist, Exhibition, ExhibitionHours, Work
from artists.selectors.profiles import accepted_artists, may_edit_artist
from core.audit import created, diff, field_values, log_action
from core.roles import is_staff_member
from events.models import Period

# What the artist describes; staff alone place the artist in a room or at a shared venue.
WORK_FIELDS = ("title", "year", "technique", "dimensions", "for_sale", "price")
PLACEMENT_FIELDS = ("project_room", "shared_venue")


def _check_editor(by, artist: Artist) -> None:
    if not may_edit_artist(by, artist):
        raise ArtistsError(_("You may only change your own work."))


def _set_image(work: Work, upload) -> None:
    try:
        prepared = prepare_image(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.error_list}) from None
    delete_files_on_commit(work.image, work.display, work.thumbnail)
    work.image = prepared.original
    work.display = prepared.display
    work.thumbnail = prepared.thumbnail


def _tidy(values: dict) -> dict:
    values = dict(values)
    for name in ("title", "technique", "dimensions"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if values.get("for_sale") is False:
        values["price"] = None
    return values


@transaction.atomic
def register_work(*, artist: Artist, edition: Period, by, upload=None, **values) -> Work:
    """Register the one work the artist shows in the edition's joint exhibition.

    Preconditions: ``by`` is the artist themself or staff; the artist was accepted to
    the edition and the decision was released; the artist has no work in it yet.
    """
    _check_editor(by, artist)
    unknown = set(values) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown work fields: {', '.join(sorted(unknown))}")
    if not accepted_artists(edition).filter(pk=artist.pk).exists():
        raise ArtistsError(_("Only artists accepted to this edition register a work in it."))
    Artist.objects.select_for_update().filter(pk=artist.pk).first()
    if Work.objects.filter(artist=artist, edition=edition).exists():
        raise ArtistsError(_("You have already registered your work for this edition."))
    work = Work(artist=artist, edition=edition, **_tidy(values))
    if upload:
        _set_image(work, upload)
    work.full_clean()
    work.save()
    log_action(work, "artists.work.registered", by, changes=created(work))
    return work


@transaction.atomic
def update_work(*, work: Work, by, values: dict, upload=None) -> Work:
    """Change the given fields of a work, and its image when one is uploaded.

    Preconditions: ``by`` is the artist themself or staff; only staff change the
    placement (project room, shared venue).
    """
    _check_editor(by, work.artist)
    unknown = set(values) - set(WORK_FIELDS) - set(PLACEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown work fields: {', '.join(sorted(unknown))}")
    if set(values) & set(PLACEMENT_FIELDS) and not is_staff_member(by):
        raise ArtistsError(_("Only staff place artists in project rooms or shared venues."))
    work = Work.objects.select_for_update().get(pk=work.pk)
    before = field_values(work, [*values, "image"])
    for field, value in _tidy(values).items():
        setattr(work, field, value)
    if upload:
        _set_image(work, upload)
    work.full_clean()
    work.save()
    log_action(work, "artists.work.updated", by, changes=diff(work, before))
    return work


@transaction.atomic
def set_exhibition_hours(*, exhibition: Exhibition, day: date, opens: time, closes: time):
    """Set when an exhibition is open on a day within its dates (staff only, by the callers).

    Preconditions: the day lies between the exhibition's first and last day; it closes
    after it opens.
    """
    event = exhibition.event
    first, last = timezone.localtime(event.start).date(), timezone.localtime(event.end).date()
    if not first <= day <= last:
        raise ValidationError({"date": _("The day must fall within the exhibition's dates.")})
    hours = ExhibitionHours.objects.filter(exhibition=exhibition, date=day).first()
    hours = hours or ExhibitionHours(exhibition=exhibition, date=day)
    hours.opens, hours.closes = opens, closes
    hours.full_clean()
    hours.save()
    return hours
