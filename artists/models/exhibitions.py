"""Exhibitions, exhibited works and open studios of an edition."""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists.models.profiles import Artist, upload_path
from artists.weekends import open_studio_days, open_studio_weekends
from core import formats
from events.models import Municipality, Period

NORWAY_LATITUDE = (Decimal("57.9"), Decimal("71.2"))
NORWAY_LONGITUDE = (Decimal("4.5"), Decimal("31.2"))


def check_in_norway(latitude, longitude) -> None:
    """Raise ValidationError, keyed by field, unless the point lies in Norway's bounding box."""
    errors = {}
    if latitude is not None and not NORWAY_LATITUDE[0] <= Decimal(latitude) <= NORWAY_LATITUDE[1]:
        errors["latitude"] = _("The latitude must be between 57.9 and 71.2 (in Norway).")
    if latitude is not None and not (
        longitude is not None and NORWAY_LONGITUDE[0] <= Decimal(longitude) <= NORWAY_LONGITUDE[1]
    ):
        errors["longitude"] = _("The longitude must be between 4.5 and 31.2 (in Norway).")
    if errors:
        raise ValidationError(errors)


# Short codes are printed on posters and typed from them: no 0/o, 1/l/i.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 6


def new_short_code() -> str:
    """Return a random short code for a poster URL, not used by any studio or exhibition."""
    while True:
        code = "".join(
            secrets.choice(SHORT_CODE_ALPHABET) for _position in range(SHORT_CODE_LENGTH)
        )
        if not (
            Studio.objects.filter(code=code).exists()
            or Exhibition.objects.filter(code=code).exists()
        ):
            return code


class Exhibition(models.Model):
    """The joint exhibition of an edition, or a local joint exhibition: an event with a role."""

    class Role(models.TextChoices):
        JOINT = "joint", _("Joint exhibition")
        LOCAL = "local", _("Local joint exhibition")

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="exhibition",
        limit_choices_to={"kind": "exhibition"},
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    host_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("host municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organising_municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("organising municipalities"),
        blank=True,
        related_name="+",
    )
    code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        default=new_short_code,
        editable=False,
        help_text=_("The poster's short URL: /v/<code>/."),
    )

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["event__start", "pk"]

    def __str__(self):
        return str(self.event)

    def clean(self):
        event = getattr(self, "event", None)
        if event is None:
            return
        if event.kind != "exhibition":
            raise ValidationError({"event": _("Choose an event of the kind exhibition.")})
        if self.role == self.Role.JOINT:
            others = Exhibition.objects.filter(
                role=self.Role.JOINT, event__period_id=event.period_id
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"role": _("This edition already has its joint exhibition.")})

    @property
    def edition(self) -> Period:
        return self.event.period


class OpeningHours(models.Model):
    """When a place is open on one day: one row a place and day, closing after opening.

    A concrete model adds the foreign key to its place and takes its ordering and
    constraints from ``OpeningHours.rules(place, prefix)``.
    """

    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{formats.day(self.date)} {formats.time(self.opens)}–{formats.time(self.closes)}"

    @staticmethod
    def rules(place: str, prefix: str) -> tuple[list[str], list[models.BaseConstraint]]:
        """Return the ordering and the constraints of opening hours of the foreign key ``place``.

        The constraints are named ``<prefix>_day`` and ``<prefix>_close_after_open``.
        """
        ordering = [place, "date"]
        constraints = [
            models.UniqueConstraint(fields=[place, "date"], name=f"{prefix}_day"),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name=f"{prefix}_close_after_open"
            ),
        ]
        return ordering, constraints

    def time_errors(self) -> dict[str, str]:
        """Return the errors of the opening and closing times, by field."""
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            return {"closes": _("The closing time must be after the opening time.")}
        return {}

    def clean(self):
        errors = self.time_errors()
        if errors:
            raise ValidationError(errors)


class ExhibitionHours(OpeningHours):
    """When an exhibition is open on one day."""

    exhibition = models.ForeignKey(
        Exhibition, verbose_name=_("exhibition"), on_delete=models.CASCADE, related_name="hours"
    )

    class Meta(OpeningHours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering, constraints = OpeningHours.rules("exhibition", prefix="exhibition_hours")


class Work(models.Model):
    """The one work an accepted artist shows in the joint exhibition of an edition."""

    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.CASCADE, related_name="works"
    )
    edition = models.ForeignKey(
        Period, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="works"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    technique = models.CharField(_("technique"), max_length=200, blank=True)
    dimensions = models.CharField(
        _("dimensions"), max_length=100, blank=True, help_text=_("For example 60 × 80 cm.")
    )
    image = models.ImageField(_("image"), upload_to=upload_path, blank=True)
    display = models.ImageField(upload_to=upload_path, blank=True, editable=False)
    thumbnail = models.ImageField(upload_to=upload_path, blank=True, editable=False)
    for_sale = models.BooleanField(_("for sale"), default=False)
    price = models.PositiveIntegerField(_("price (NOK)"), null=True, blank=True)
    project_room = models.CharField(
        _("project room"),
        max_length=100,
        blank=True,
        help_text=_("Set by staff: the project room where the artist shows."),
    )
    shared_venue = models.ForeignKey(
        "events.Venue",
        verbose_name=_("shared venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set by staff: the venue where the artist shows instead of a studio."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exhibited work")
        verbose_name_plural = _("exhibited works")
        ordering = ["edition", "artist__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["artist", "edition"], name="work_one_per_edition"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.for_sale and self.price is None:
            raise ValidationError({"price": _("Give the price of a work that is for sale.")})


def _coordinate(value) -> str:
    """Write a coordinate without trailing zeros: 59.833000 is 59.833."""
    return format(Decimal(value).normalize(), "f")


@dataclass(frozen=True)
class Directions:
    """How a visitor finds their way to a place: a ``geo:`` URI, which a phone opens in
    its own map app (RFC 5870, with the ``q`` label that Android and most map apps read),
    and a web link to Google Maps' directions from where the visitor is.

    Google's Maps URLs are documented, need no key, open the app on phones and start from
    the visitor's position; OpenStreetMap's directions page has no documented parameter
    for the destination alone. The geo: link leaves the choice of app to the visitor.
    """

    label: str
    geo_uri: str
    web_url: str

    @classmethod
    def to(cls, latitude, longitude, label: str) -> "Directions | None":
        """Return the directions to a point, or None without coordinates."""
        if latitude is None or longitude is None:
            return None
        point = f"{_coordinate(latitude)},{_coordinate(longitude)}"
        # Percent-encoded, parentheses too: the label sits between ( and ).
        geo_uri = f"geo:{point}?q={point}({quote(label, safe='')})"
        web_url = "https://www.google.com/maps/dir/?" + urlencode(
            {"api": "1", "destination": point}, safe=","
        )
        return cls(label=label, geo_uri=geo_uri, web_url=web_url)


class Studio(models.Model):
    """An open studio of an edition: a venue where one or more artists receive visitors."""

    edition = models.ForeignKey(
        Period, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="studios"
    )
    venue = models.ForeignKey(
        "events.Venue", verbose_name=_("venue"), on_delete=models.PROTECT, related_name="studios"
    )
    artists = models.ManyToManyField(
        Artist, verbose_name=_("artists"), related_name="studios", blank=True
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    is_published = models.BooleanField(
        _("number published"),
        default=False,
        help_text=_("A published number is printed and is never changed by renumbering."),
    )
    code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        default=new_short_code,
        editable=False,
        help_text=_("The poster's short URL: /v/<code>/."),
    )
    # On the studio, not its venue: it is what a visitor filters open studios by, set by
    # the studio's artists; the venue's accessibility notes give the details.
    step_free = models.BooleanField(
        _("step-free access"),
        null=True,
        blank=True,
        help_text=_(
            "Can a wheelchair user get in and around without steps? Leave empty if unknown."
        ),
    )

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["edition", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "venue"], name="studio_venue_per_edition"),
            models.UniqueConstraint(fields=["edition", "number"], name="studio_number_per_edition"),
        ]

    def __str__(self):
        return f"{self.number or '–'} {self.venue}"

    @property
    def directions(self) -> Directions | None:
        """The directions to the studio's venue, or None if it has no coordinates."""
        venue = self.venue
        return Directions.to(venue.latitude, venue.longitude, venue.name)


class StudioHours(OpeningHours):
    """When a studio is open on one day of an open-studio weekend.

    Which weekend a day belongs to follows from the date and the edition's weekends; it
    is not stored, so moving a weekend never leaves hours pointing at the old one.
    """

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="hours"
    )

    class Meta(OpeningHours.Meta):
        verbose_name = _("studio opening hours")
        verbose_name_plural = _("studio opening hours")
        ordering, constraints = OpeningHours.rules("studio", prefix="studio_hours")

    @property
    def weekend(self):
        """The open-studio weekend this day belongs to (None if it is in none)."""
        for weekend in open_studio_weekends(self.studio.edition):
            first = timezone.localtime(weekend.start).date()
            if first <= self.date <= timezone.localtime(weekend.end).date():
                return weekend
        return None

    def clean(self):
        errors = self.time_errors()
        if (
            self.studio_id
            and self.date is not None
            and self.date not in open_studio_days(self.studio.edition)
        ):
            errors["date"] = _("The day must fall within an open-studio weekend of the edition.")
        if errors:
            raise ValidationError(errors)
