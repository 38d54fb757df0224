import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """A municipality as it was between two dates; the map changes, history stays."""

    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(
        _("official number"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the four-digit municipality number."))],
    )
    county = models.CharField(_("county"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="municipality_valid_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @staticmethod
    def in_force_on(day: date) -> Q:
        """The condition of is_valid_on() for a query: the municipalities on a day's map."""
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Enter a four-digit postcode."))],
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="venues",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Fields that appear in the LOCATION or GEO of a calendar event.
    CALENDAR_FIELDS = ("name", "address", "postcode", "place", "latitude", "longitude")

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        changed = calendar_fields_changed(self)
        super().save(*args, **kwargs)
        if changed:
            # Subscribers see the venue in LOCATION: its events changed for them.
            self.events.update(revision=F("revision") + 1, updated_at=timezone.now())
        self._calendar_snapshot = self._calendar_values()

    def get_absolute_url(self):
        return reverse("events:venue_detail", args=[self.pk])

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._calendar_snapshot = instance._calendar_values()
        return instance

    def _calendar_values(self):
        return loaded_values(self, self.CALENDAR_FIELDS)

    @property
    def full_address(self) -> str:
        postal = " ".join(part for part in (self.postcode, self.place) if part)
        return ", ".join(part for part in (self.name, self.address, postal) if part)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def openstreetmap_url(self) -> str:
        if not self.has_coordinates:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=17/{self.latitude}/{self.longitude}"
        )


class Programme(models.Model):
    class Kind(models.TextChoices):
        ART_ROUND = "art_round", _("Art round")
        ORCHESTRA = "orchestra", _("Orchestra")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:programme_detail", args=[self.slug])

    @property
    def description(self) -> str:
        return localized(self.description_nb, self.description_en)

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.ART_ROUND:
            return _("edition")
        if self.kind == self.Kind.ORCHESTRA:
            return _("season")
        return _("period")


class Period(models.Model):
    """An edition of the art round or a season of the orchestra."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="periods"
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("edition or season")
        verbose_name_plural = _("editions and seasons")
        ordering = ["programme__name", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="period_unique_slug"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date is before the start date.")})

    def is_current_on(self, day: date) -> bool:
        return self.start <= day <= self.end


def new_event_uid() -> str:
    return f"{uuid.uuid4()}@kulturvest"


class Event(models.Model):
    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        OPEN_STUDIO_WEEKEND = "open_studio_weekend", _("Open-studio weekend")
        OPENING = "opening", _("Opening")
        WORKSHOP = "workshop", _("Workshop")
        GUIDED_TOUR = "guided_tour", _("Guided tour")
        REHEARSAL_WEEKEND = "rehearsal_weekend", _("Rehearsal weekend")
        SESSION = "session", _("Session")
        MASTER_CLASS = "master_class", _("Master class")
        CONCERT = "concert", _("Concert")
        TOUR = "tour", _("Tour")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members")
        STAFF = "staff", _("Staff")

    period = models.ForeignKey(
        Period, verbose_name=_("edition or season"), on_delete=models.PROTECT, related_name="events"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hosts"),
        blank=True,
        related_name="hosted_events",
        help_text=_(
            "Venue hosts who scan tickets and count visitors at this event and its sessions."
        ),
    )
    uid = models.CharField(
        _("calendar UID"), max_length=255, unique=True, default=new_event_uid, editable=False
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    # Fields a calendar subscriber sees; a change to any of them is a new revision.
    CALENDAR_FIELDS = (
        "title_nb",
        "title_en",
        "description_nb",
        "description_en",
        "venue_id",
        "start",
        "end",
        "status",
        "visibility",
        "kind",
        "period_id",
        "parent_id",
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["period", "start"]),
            models.Index(fields=["venue", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_end_after_start"),
        ]

    def __str__(self):
        return self.title

    # Fields whose change participants are told of (events.notices).
    NOTICE_FIELDS = ("start", "end", "venue_id", "status")

    def save(self, *args, **kwargs):
        snapshot = getattr(self, "_calendar_snapshot", None) or {}
        # What the notice of this save compares against: the loaded values that change.
        self._notice_before = {
            name: snapshot[name]
            for name in self.NOTICE_FIELDS
            if name in snapshot and snapshot[name] != self.__dict__.get(name)
        }
        if calendar_fields_changed(self):
            self.revision += 1
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "revision", "updated_at"}
        super().save(*args, **kwargs)
        self._calendar_snapshot = self._calendar_values()

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end is before the start.")
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = _("An event cannot be part of itself.")
            elif self.parent.parent_id is not None:
                errors["parent"] = _("Sessions cannot have sessions of their own.")
            elif self.period_id and self.parent.period_id != self.period_id:
                errors["parent"] = _(
                    "The event it is part of belongs to another edition or season."
                )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._calendar_snapshot = instance._calendar_values()
        return instance

    def _calendar_values(self):
        return loaded_values(self, self.CALENDAR_FIELDS)

    @property
    def title(self) -> str:
        return localized(self.title_nb, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_nb, self.description_en)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class ChangeNotice(models.Model):
    """A change set of an event: what participants saw before its first change (start,
    end, place, status), sent as one notice when it is due (events.notices).

    Edits within NOTICE_COMBINE_MINUTES of the last one extend the open set and keep its
    oldest "before". A quiet set (a typo corrected, nobody told) is closed when recorded.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="change_notices"
    )
    before_start = models.DateTimeField(_("start before"))
    before_end = models.DateTimeField(_("end before"))
    before_venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue before"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    before_venue_name = models.CharField(_("place before"), max_length=300, blank=True)
    before_status = models.CharField(
        _("status before"), max_length=20, choices=Event.Status.choices
    )
    first_changed_at = models.DateTimeField(_("first changed"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quiet = models.BooleanField(_("nobody told"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("people told"), default=0)

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["-first_changed_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(sent_at__isnull=True),
                name="change_notice_one_open_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.first_changed_at:%Y-%m-%d %H:%M}"


def loaded_values(instance: models.Model, names) -> dict:
    """Return the named field values that are loaded, without loading deferred ones.

    Reading a deferred field would query the database (and, from ``from_db``,
    recurse); the deletion collector loads rows with only some fields.
    """
    return {name: instance.__dict__[name] for name in names if name in instance.__dict__}


def calendar_fields_changed(instance: models.Model) -> bool:
    """Return True if a field a calendar subscriber sees changed since loading.

    A field that was deferred when loaded and is set now counts as changed: its
    old value is unknown, and a needless new revision is harmless.
    """
    snapshot = getattr(instance, "_calendar_snapshot", None)
    if snapshot is None:
        return False
    return instance._calendar_values() != snapshot


def localized(nb: str, en: str) -> str:
    """Return the English text when English is active and one exists, else the Norwegian."""
    if en and (translation.get_language() or settings.LANGUAGE_CODE).startswith("en"):
        return en
    return nb
