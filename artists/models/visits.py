"""Visitor counts of an edition: tallies by hosts, QR registrations, art sales.

A place where visits are counted is either a studio or an exhibition; every record below
points at exactly one of the two. Tallies are the official count; QR registrations are an
engagement signal and are kept in their own table so that no statistic mixes them up.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists.models.exhibitions import Exhibition, Studio, Work
from artists.models.profiles import Artist
from core.formats import amount, when
from events.models import Period


def _one_place() -> Q:
    return Q(studio__isnull=False, exhibition__isnull=True) | Q(
        studio__isnull=True, exhibition__isnull=False
    )


class CountedPlace(models.Model):
    """A record about one studio or one exhibition of an edition."""

    edition = models.ForeignKey(
        Period, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="+"
    )
    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, null=True, blank=True
    )
    exhibition = models.ForeignKey(
        Exhibition, verbose_name=_("exhibition"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def place(self) -> Studio | Exhibition:
        return self.studio if self.studio_id else self.exhibition

    def clean(self):
        if bool(self.studio_id) == bool(self.exhibition_id):
            raise ValidationError(_("Give either a studio or an exhibition."))


class VisitTally(CountedPlace):
    """Visitors a host counted at a studio or an exhibition on one day: one tap or one group."""

    class Category(models.TextChoices):
        SINGLE = "single", _("Single visitor")
        SCHOOL_CLASS = "school_class", _("School class")
        GUIDED_GROUP = "guided_group", _("Guided group")
        OPENING_GUEST = "opening_guest", _("Opening guest")

    date = models.DateField(_("date"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.SINGLE
    )
    visitors = models.PositiveIntegerField(_("visitors"))
    pupils = models.PositiveIntegerField(
        _("pupils"), default=0, help_text=_("Of the visitors, how many are pupils.")
    )
    school = models.CharField(_("school"), max_length=200, blank=True)
    # The client's id for this tap: a retry with the same nonce never counts twice.
    nonce = models.CharField(_("nonce"), max_length=64, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    tapped_at = models.DateTimeField(
        _("tapped"), null=True, blank=True, help_text=_("When the host tapped, if sent later.")
    )
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        verbose_name = _("visitor tally")
        verbose_name_plural = _("visitor tallies")
        ordering = ["edition", "date", "recorded_at", "pk"]
        indexes = [models.Index(fields=["edition", "date"], name="tally_edition_day")]
        constraints = [
            models.CheckConstraint(condition=_one_place(), name="tally_one_place"),
            models.CheckConstraint(
                condition=Q(pupils__lte=F("visitors")), name="tally_pupils_within_visitors"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.place}: {self.visitors}"

    def clean(self):
        super().clean()
        errors = {}
        if self.visitors is not None and self.visitors > settings.TALLY_MAX_PER_ENTRY:
            errors["visitors"] = _(
                "At most %(max)s visitors can be counted in one entry; split a larger group."
            ) % {"max": settings.TALLY_MAX_PER_ENTRY}
        if self.category == self.Category.SCHOOL_CLASS:
            if not self.pupils:
                errors["pupils"] = _("Give the number of pupils in the class.")
            elif self.visitors is not None and self.pupils > self.visitors:
                errors["pupils"] = _("The pupils cannot be more than the visitors.")
            if not self.school.strip():
                errors["school"] = _("Give the school of the class.")
        elif self.pupils:
            errors["pupils"] = _("Pupils are counted for school classes only.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class TallyCorrection(models.Model):
    """One change to a tally by its host or staff: what it was, what it became, and why."""

    tally = models.ForeignKey(
        VisitTally, verbose_name=_("tally"), on_delete=models.CASCADE, related_name="corrections"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("tally correction")
        verbose_name_plural = _("tally corrections")
        ordering = ["tally", "changed_at", "pk"]

    def __str__(self):
        return f"{self.tally_id} {when(self.changed_at)}"


class QrVisit(CountedPlace):
    """One visit registered by a visitor's phone opening a venue's poster URL.

    Holds no personal data: the once-per-device-per-day rule lives in a signed cookie.
    """

    date = models.DateField(_("date"))
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("QR registration")
        verbose_name_plural = _("QR registrations")
        ordering = ["edition", "date", "pk"]
        indexes = [models.Index(fields=["edition", "date"], name="qrvisit_edition_day")]
        constraints = [models.CheckConstraint(condition=_one_place(), name="qrvisit_one_place")]

    def __str__(self):
        return f"{self.date} {self.place}"


class ArtSale(models.Model):
    """Art an artist sold during an edition. Private to the artist and staff."""

    edition = models.ForeignKey(
        Period, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="+"
    )
    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.CASCADE, related_name="sales"
    )
    work = models.ForeignKey(
        Work,
        verbose_name=_("exhibited work"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales",
    )
    description = models.CharField(
        _("what was sold"), max_length=200, blank=True, help_text=_("If not the exhibited work.")
    )
    amount = models.PositiveIntegerField(_("amount (NOK)"))
    sold_on = models.DateField(_("sold on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("art sale")
        verbose_name_plural = _("art sales")
        ordering = ["edition", "sold_on", "pk"]

    def __str__(self):
        return f"{self.artist}, {amount(self.amount)}"

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount < 1:
            errors["amount"] = _("Give the amount the work was sold for.")
        if self.work_id is None and not self.description.strip():
            errors["description"] = _("Choose the exhibited work or say what was sold.")
        if self.work_id and self.artist_id and self.work.artist_id != self.artist_id:
            errors["work"] = _("Choose one of the artist's own works.")
        if errors:
            raise ValidationError(errors)


class TallyReminder(CountedPlace):
    """A reminder email sent to a place's hosts about a day without counts."""

    date = models.DateField(_("day without counts"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("tally reminder")
        verbose_name_plural = _("tally reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [models.CheckConstraint(condition=_one_place(), name="reminder_one_place")]

    def __str__(self):
        return f"{self.date} {self.place}"


class ReportedFigures(models.Model):
    """An edition's visitor figures as reported from outside Kulturvest.

    Editions counted before the system existed (2007–2015 for Kunst rett vest) have only
    their reported totals; statistics use these where an edition has no tallies.
    """

    edition = models.OneToOneField(
        Period,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="reported_figures",
    )
    joint_exhibition_visits = models.PositiveIntegerField(_("joint exhibition visits"), default=0)
    joint_exhibition_pupils = models.PositiveIntegerField(_("of these pupils"), default=0)
    local_exhibition_visits = models.PositiveIntegerField(_("local exhibition visits"), default=0)
    studio_visits = models.PositiveIntegerField(_("open studio visits"), default=0)
    open_studios = models.PositiveIntegerField(_("open studios"), default=0)
    artists = models.PositiveIntegerField(_("artists"), default=0)
    art_sales = models.PositiveIntegerField(_("art sales (NOK)"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reported figures")
        verbose_name_plural = _("reported figures")
        ordering = ["edition__start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(joint_exhibition_pupils__lte=F("joint_exhibition_visits")),
                name="reported_pupils_within_visits",
            )
        ]

    def __str__(self):
        return str(self.edition)

    @property
    def total_visits(self) -> int:
        return self.joint_exhibition_visits + self.local_exhibition_visits + self.studio_visits
