"""Visitor tallies by hosts, their corrections, and the artists' art sales.

A tally is the official visitor count of a studio or an exhibition on one day. Hosts send
each tap with a client nonce: a retry with the same nonce returns the first answer and
never counts twice. Invalid values raise Django's ValidationError keyed by field; a
broken rule raises ArtistsError; a user who does not host the place gets PermissionDenied.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.models import (
    Artist,
    ArtSale,
    Exhibition,
    Studio,
    TallyCorrection,
    TallyReminder,
    VisitTally,
    Work,
)
from artists.selectors.places import (
    Place,
    may_count_at,
    open_days,
    place_edition,
    place_filter,
    place_name,
)
from artists.selectors.profiles import may_edit_artist
from artists.selectors.tallies import art_round_editions, completeness
from core.mail import queue_in_transaction
from core.reminders import remind
from core.roles import is_staff_member

# The fields of a tally a correction may change, and how a correction records them.
CORRECTABLE = ("date", "category", "visitors", "pupils", "school")


@dataclass(frozen=True)
class TallyResult:
    tally: VisitTally
    replayed: bool


def _place_fields(place: Place) -> dict:
    if isinstance(place, Studio):
        return {"studio": place, "exhibition": None}
    return {"studio": None, "exhibition": place}


def _check_day(place: Place, day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": _("Visits can only be counted for today or earlier.")})
    if day not in open_days(place):
        raise ValidationError({"date": _("The place was not open on %(day)s.") % {"day": day}})


def _same_tap(tally: VisitTally, place: Place, values: dict) -> bool:
    fields = _place_fields(place)
    return (
        tally.studio_id == getattr(fields["studio"], "pk", None)
        and tally.exhibition_id == getattr(fields["exhibition"], "pk", None)
        and all(getattr(tally, name) == value for name, value in values.items())
    )


def _replay(nonce: str, place: Place, values: dict) -> TallyResult | None:
    if not nonce:
        return None
    previous = VisitTally.objects.filter(nonce=nonce).first()
    if previous is None:
        return None
    if not _same_tap(previous, place, values):
        raise ArtistsError(_("This tap's id was already used for another count; nothing added."))
    return TallyResult(previous, replayed=True)


def record_tally(
    *,
    by,
    place: Place,
    day: date,
    visitors: int,
    category: str = VisitTally.Category.SINGLE,
    pupils: int = 0,
    school: str = "",
    nonce: str = "",
    tapped_at: datetime | None = None,
) -> TallyResult:
    """Count visitors at a studio or an exhibition on a day.

    Preconditions: ``by`` hosts the place or is staff; the place was open that day and the
    day is not in the future; 0 < visitors <= TALLY_MAX_PER_ENTRY. A nonce already used for
    the same tap returns that tally with ``replayed`` set; used for another tap, it is refused.
    """
    if not may_count_at(by, place):
        raise PermissionDenied(_("You do not count visits at this place."))
    values = {
        "date": day,
        "category": category,
        "visitors": visitors,
        "pupils": pupils or 0,
        "school": (school or "").strip(),
    }
    nonce = (nonce or "").strip()
    replay = _replay(nonce, place, values)
    if replay is not None:
        return replay
    if visitors is not None and visitors < 1:
        raise ValidationError({"visitors": _("Count at least one visitor.")})
    _check_day(place, day)
    tally = VisitTally(
        edition=place_edition(place),
        **_place_fields(place),
        **values,
        nonce=nonce or None,
        recorded_by=by,
        tapped_at=tapped_at,
    )
    tally.full_clean(exclude=["nonce"])
    try:
        with transaction.atomic():
            tally.save()
    except IntegrityError:
        # The same nonce raced in from a retry on another connection: its answer stands.
        replay = _replay(nonce, place, values)
        if replay is None:
            raise
        return replay
    return TallyResult(tally, replayed=False)


def _snapshot(tally: VisitTally) -> dict:
    values = {name: getattr(tally, name) for name in CORRECTABLE}
    values["date"] = values["date"].isoformat()
    values["void"] = tally.is_void
    return values


@transaction.atomic
def correct_tally(*, tally: VisitTally, by, reason: str, **changes) -> VisitTally:
    """Change a tally's day, category or numbers, keeping the change in its history.

    Preconditions: ``by`` hosts the tally's place or is staff; a reason is given; the
    changed tally passes the same checks as a new one.
    """
    tally = VisitTally.objects.select_for_update().get(pk=tally.pk)
    place = tally.place
    if not may_count_at(by, place):
        raise PermissionDenied(_("You do not count visits at this place."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the count is corrected.")})
    if tally.is_void:
        raise ArtistsError(_("This count was removed and cannot be changed."))
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ArtistsError(_("These fields cannot be corrected: %s") % ", ".join(sorted(unknown)))
    before = _snapshot(tally)
    for name, value in changes.items():
        setattr(tally, name, value.strip() if isinstance(value, str) else value)
    if tally.category != VisitTally.Category.SCHOOL_CLASS and "category" in changes:
        tally.pupils, tally.school = 0, ""
    if tally.visitors is not None and tally.visitors < 1:
        raise ValidationError({"visitors": _("Count at least one visitor, or remove the count.")})
    if "date" in changes:
        _check_day(place, tally.date)
    tally.full_clean(exclude=["nonce"])
    after = _snapshot(tally)
    if after == before:
        return tally
    tally.save(update_fields=list(CORRECTABLE))
    TallyCorrection.objects.create(
        tally=tally, changed_by=by, before=before, after=after, reason=reason.strip()
    )
    return tally


@transaction.atomic
def void_tally(*, tally: VisitTally, by, reason: str) -> VisitTally:
    """Remove a count made by mistake; it stays in the history and no longer counts."""
    tally = VisitTally.objects.select_for_update().get(pk=tally.pk)
    if not may_count_at(by, tally.place):
        raise PermissionDenied(_("You do not count visits at this place."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the count is removed.")})
    if tally.is_void:
        return tally
    before = _snapshot(tally)
    tally.voided_at = timezone.now()
    tally.save(update_fields=["voided_at"])
    TallyCorrection.objects.create(
        tally=tally, changed_by=by, before=before, after=_snapshot(tally), reason=reason.strip()
    )
    return tally


def record_sale(
    *,
    by,
    artist: Artist,
    edition,
    amount: int,
    work: Work | None = None,
    description: str = "",
    sold_on: date | None = None,
) -> ArtSale:
    """Record art the artist sold during the edition. Only the artist and staff see it."""
    if not may_edit_artist(by, artist):
        raise PermissionDenied(_("You may only record your own sales."))
    sale = ArtSale(
        edition=edition,
        artist=artist,
        work=work,
        description=(description or "").strip(),
        amount=amount,
        sold_on=sold_on or timezone.localdate(),
        recorded_by=by,
    )
    sale.full_clean()
    sale.save()
    return sale


def delete_sale(*, by, sale: ArtSale) -> None:
    """Delete a sale recorded by mistake."""
    if not may_edit_artist(by, sale.artist):
        raise PermissionDenied(_("You may only change your own sales."))
    sale.delete()


def max_per_entry() -> int:
    return settings.TALLY_MAX_PER_ENTRY


# Reminders about missing counts ------------------------------------------------------------


@dataclass
class RemindersSent:
    """What send_tally_reminders() did: the reminders recorded, and the places it skipped."""

    reminders: list[TallyReminder] = field(default_factory=list)
    # Places whose hosts have no email address: nobody to remind.
    without_address: list[Place] = field(default_factory=list)
    # Days counted since the page was shown: no reminder needed.
    already_reported: list[tuple[Place, date]] = field(default_factory=list)


def remind_missing_tallies(*, now: datetime | None = None) -> RemindersSent:
    """Remind the hosts of each place that reported no counts on an open day yesterday.

    Run each morning from TALLY_REMINDER_HOUR by send_due_messages (artists.reminders). A place and
    day reminded about already (by staff, or an earlier run) is skipped, and the email's key
    names the place and the day, so a host gets at most one reminder per place and day
    however often it runs.
    """
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    result = RemindersSent()
    open_yesterday = art_round_editions().filter(
        Q(studios__hours__date=yesterday) | Q(events__exhibition__hours__date=yesterday)
    )
    for edition in open_yesterday.distinct():
        matrix = completeness(edition, today=yesterday)
        missing = [
            (row.place, cell.day)
            for row in matrix.rows
            for cell in row.cells
            if cell.day == yesterday and cell.missing and cell.reminded_at is None
        ]
        if missing:
            sent = send_tally_reminders(
                by=None, edition=edition, missing=missing, now=now, scheduled=True
            )
            result.reminders.extend(sent.reminders)
            result.without_address.extend(sent.without_address)
            result.already_reported.extend(sent.already_reported)
    return result


def tally_page_path(place: Place, day: date | None = None) -> str:
    """Return the path of the place's tally page, on a day if given."""
    if isinstance(place, Studio):
        path = reverse("artists:tally_studio", args=[place.pk])
    else:
        path = reverse("artists:tally_exhibition", args=[place.pk])
    return f"{path}?dag={day.isoformat()}" if day else path


def host_emails(place: Place) -> list[str]:
    """Return the addresses of the people who count at a place: its artists, or its hosts."""
    if isinstance(place, Studio):
        found = [
            artist.email or (artist.user.email if artist.user_id else "")
            for artist in place.artists.select_related("user")
        ]
    else:
        found = list(place.event.hosts.values_list("email", flat=True))
    return list(dict.fromkeys(address.strip() for address in found if address and address.strip()))


def _address_tag(address: str) -> str:
    """A stable tag of a host's address for a reminder's key (the key names no one)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:12]


def _send_reminder(
    place_key: tuple[str, int], days: list[date], to: list[str], occasion: str
) -> None:
    """Remind each host of the place, one email (and SMS, if they chose it) each, in their
    language (core.reminders: a reminder they can turn off)."""
    kind, pk = place_key
    model = Studio if kind == "studio" else Exhibition
    place = model.objects.get(pk=pk)
    name = place_name(place)
    links = [(day, settings.SITE_URL + tally_page_path(place, day)) for day in days]

    def email(address):
        context = {"place": name, "days": links, "max_per_entry": settings.TALLY_MAX_PER_ENTRY}
        return EmailMessage(
            subject=_("Visitor counts missing: %(place)s") % {"place": name},
            body=render_to_string("artists/email/tally_reminder.txt", context),
            to=[address],
        )

    def sms():
        return _(
            "Kunst rett vest: no visitor counts from %(place)s for %(days)s. Enter them: %(link)s"
        ) % {
            "place": name,
            "days": ", ".join(formats.date_format(day, "SHORT_DATE_FORMAT") for day in days),
            "link": links[0][1],
        }

    for address in to:
        remind(
            address,
            kind="artists.tally_reminder",
            about=place,
            occasion=f"{occasion}:to-{_address_tag(address)}",
            email=email,
            sms=sms,
        )


@transaction.atomic
def send_tally_reminders(
    *,
    by,
    edition,
    missing: Iterable[tuple[Place, date]],
    now: datetime | None = None,
    scheduled: bool = False,
) -> RemindersSent:
    """Email the hosts of places without counts on open days, and record each reminder.

    Preconditions: ``by`` is staff (None only with ``scheduled``: the morning run,
    remind_missing_tallies); every place belongs to the edition, and every day is one
    of its open days, today or earlier. One reminder goes to each host of each place
    (core.reminders.remind), naming all its days;
    a day counted meanwhile, or a place whose hosts have no address, is skipped and reported.
    Each press of the staff's button is its own email; a scheduled one is keyed by the place
    and its days, so it goes at most once.
    """
    if not (scheduled and by is None) and not is_staff_member(by):
        raise PermissionDenied(_("Only the organisers send reminders."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_place: dict[tuple[str, int], tuple[Place, list[date]]] = {}
    for place, day in missing:
        if place_edition(place).pk != edition.pk:
            raise ValidationError(
                _("%(place)s is not part of %(edition)s.")
                % {
                    "place": place_name(place),
                    "edition": edition.name,
                }
            )
        if day > today or day not in open_days(place):
            raise ValidationError(
                _("%(place)s was not open on %(day)s.") % {"place": place_name(place), "day": day}
            )
        key = ("studio" if isinstance(place, Studio) else "exhibition", place.pk)
        by_place.setdefault(key, (place, []))[1].append(day)

    result = RemindersSent()
    for key, (place, days) in by_place.items():
        counted = set(
            VisitTally.objects.filter(place_filter(place), date__in=days, voided_at__isnull=True)
            .values_list("date", flat=True)
            .distinct()
        )
        result.already_reported.extend((place, day) for day in sorted(counted))
        days = sorted(set(days) - counted)
        if not days:
            continue
        to = host_emails(place)
        if not to:
            result.without_address.append(place)
            continue
        reminders = TallyReminder.objects.bulk_create(
            TallyReminder(
                edition=edition,
                **_place_fields(place),
                date=day,
                sent_at=now,
                sent_by=by,
                recipients=len(to),
            )
            for day in days
        )
        result.reminders.extend(reminders)
        # Each press of the staff's button is its own send, named by its first reminder;
        # the scheduled one is named by its days.
        occasion = (
            "days-" + "-".join(day.isoformat() for day in days)
            if scheduled
            else f"reminder-{reminders[0].pk}"
        )
        queue_in_transaction(_send_reminder, key, days, to, occasion)
    return result
