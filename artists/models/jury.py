"""Calls for applications, applications, the jury's reviews, decisions and letters."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artists.images import delete_files_on_commit
from artists.models.profiles import Artist, ArtistImage
from events.models import Municipality, Period, localized


class Call(models.Model):
    """A call for applications to one edition of the art round."""

    period = models.OneToOneField(
        Period, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="call"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    introduction_nb = models.TextField(_("introduction (Norwegian)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    eligible_municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("eligible municipalities"),
        blank=True,
        related_name="+",
        help_text=_("Home or studio in one of these. Empty: anywhere."),
    )
    requires_professional = models.BooleanField(_("professional artists only"), default=True)
    min_images = models.PositiveSmallIntegerField(_("fewest work images"), default=3)
    max_images = models.PositiveSmallIntegerField(_("most work images"), default=5)
    invitation_only = models.BooleanField(_("by invitation only"), default=False)
    invited = models.ManyToManyField(
        Artist, verbose_name=_("invited artists"), blank=True, related_name="invitations"
    )
    feedback_to_applicants = models.BooleanField(
        _("give feedback to applicants not accepted"),
        default=False,
        help_text=_(
            "Their own weighted score, the median of all applications and the jurors' "
            "comments marked as shareable, without names."
        ),
    )
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("jurors"), blank=True, related_name="jury_calls"
    )

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_images__gte=F("min_images")), name="call_image_range"
            ),
        ]

    def __str__(self):
        return str(self.period)

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The call must close after it opens.")
        if self.max_images < self.min_images:
            errors["max_images"] = _("The most must be at least the fewest.")
        if errors:
            raise ValidationError(errors)

    @property
    def introduction(self) -> str:
        return localized(self.introduction_nb, self.introduction_en)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class ReviewPhase(models.Model):
    """A phase of a call with its dates and what jurors see during it."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review (jurors score)")
        SELECTION = "selection", _("Selection (staff decide)")

    class OtherScores(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_OWN = "after_own", _("After the juror's own review")
        ALWAYS = "always", _("Always")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    names_visible = models.BooleanField(
        _("applicants' names shown"), default=False, help_text=_("Off: blind review.")
    )
    other_scores = models.CharField(
        _("other jurors' scores visible"),
        max_length=20,
        choices=OtherScores.choices,
        default=OtherScores.NEVER,
    )

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["call", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.call} · {self.get_kind_display()}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class Criterion(models.Model):
    """A weighted criterion jurors score on its own scale."""

    class Scale(models.TextChoices):
        NUMBER = "number", _("Number from lowest to highest")
        YES_MAYBE_NO = "yes_maybe_no", _("Yes / maybe / no")

    # Stored values of the yes/maybe/no scale.
    YES_MAYBE_NO_VALUES = {2: _("Yes"), 1: _("Maybe"), 0: _("No")}

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (Norwegian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices, default=Scale.NUMBER)
    lowest = models.SmallIntegerField(_("lowest"), default=1)
    highest = models.SmallIntegerField(_("highest"), default=5)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.scale == self.Scale.YES_MAYBE_NO:
            self.lowest, self.highest = 0, 2
        super().save(*args, **kwargs)

    def clean(self):
        if self.scale == self.Scale.NUMBER and self.highest <= self.lowest:
            raise ValidationError({"highest": _("The highest must be above the lowest.")})

    @property
    def name(self) -> str:
        return localized(self.name_nb, self.name_en)

    @property
    def description(self) -> str:
        return localized(self.description_nb, self.description_en)

    def choices(self) -> list[tuple[int, str]]:
        """Return the values a juror may give, highest first, with their labels."""
        if self.scale == self.Scale.YES_MAYBE_NO:
            return [(value, str(label)) for value, label in self.YES_MAYBE_NO_VALUES.items()]
        return [(value, str(value)) for value in range(self.highest, self.lowest - 1, -1)]

    def normalized(self, value: int) -> Decimal:
        """Return a value on this scale as a share from 0 to 1."""
        return Decimal(value - self.lowest) / Decimal(self.highest - self.lowest)


def weighted_score(values: dict["Criterion", int]) -> Decimal:
    """Return the weighted score from 0 to 100 of one review's values per criterion."""
    total_weight = sum((criterion.weight for criterion in values), Decimal("0"))
    if not total_weight:
        return Decimal("0")
    points = sum(
        (criterion.weight * criterion.normalized(value) for criterion, value in values.items()),
        Decimal("0"),
    )
    return (points / total_weight * 100).quantize(Decimal("0.01"))


class Application(models.Model):
    """An artist's application to a call: a draft until submitted, locked at the deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    statement = models.TextField(_("statement"), blank=True, max_length=4000)
    cv = models.TextField(_("CV"), blank=True, max_length=6000)
    previous_exhibitions = models.TextField(_("previous exhibitions"), blank=True, max_length=6000)
    images = models.ManyToManyField(
        ArtistImage,
        verbose_name=_("work images"),
        through="ApplicationImage",
        related_name="applications",
    )
    # A stable per-application key: with the juror's id it gives each juror their own
    # random but stable order.
    shuffle_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The answers to the call's own questions (core.questions): they go with it.
    answers = GenericRelation(
        "core.Answer", content_type_field="record_type", object_id_field="record_id"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "artist"], name="application_unique_artist")
        ]

    def __str__(self):
        return f"{self.artist} · {self.call}"


def review_copy_path(instance, filename: str) -> str:
    """Store the jury's copies of an application's images under random names of their own."""
    return f"jury/{uuid.uuid4().hex}.webp"


class ApplicationImage(models.Model):
    """A work image chosen for an application, in the applicant's order.

    The jury never sees the gallery's files: ``review_display`` and ``review_thumbnail``
    are the application's own copies (artists.images.prepare_review_copy), made on the
    first review and served only through the jury's pages.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="image_links"
    )
    image = models.ForeignKey(
        ArtistImage, on_delete=models.PROTECT, related_name="application_links"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    review_display = models.ImageField(upload_to=review_copy_path, blank=True, editable=False)
    review_thumbnail = models.ImageField(upload_to=review_copy_path, blank=True, editable=False)

    class Meta:
        verbose_name = _("application image")
        verbose_name_plural = _("application images")
        ordering = ["application", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "image"], name="application_image_unique"
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.image}"

    def save(self, *args, **kwargs):
        # The jury's copies are of one image: when another is chosen (staff, in the
        # admin), they go, and the next look makes the new image's copies.
        if self.pk and self.review_display:
            stored = (
                ApplicationImage.objects.filter(pk=self.pk)
                .values_list("image_id", flat=True)
                .first()
            )
            if stored is not None and stored != self.image_id:
                delete_files_on_commit(self.review_display, self.review_thumbnail)
                self.review_display = self.review_thumbnail = ""
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {
                        *kwargs["update_fields"],
                        "review_display",
                        "review_thumbnail",
                    }
        super().save(*args, **kwargs)


class Conflict(models.Model):
    """A juror's conflict of interest with an application: they never see it or its reviews."""

    class Source(models.TextChoices):
        JUROR = "juror", _("Declared by the juror")
        STAFF = "staff", _("Marked by staff")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    source = models.CharField(_("declared by"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("declared"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["application", "juror"]
        constraints = [
            models.UniqueConstraint(fields=["application", "juror"], name="conflict_unique")
        ]

    def __str__(self):
        return f"{self.juror} · {self.application}"


class Review(models.Model):
    """One juror's review of one application: a score per criterion and a comment."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    comment_shareable = models.BooleanField(
        _("the comment may be shared with the applicant, without my name"), default=False
    )
    # The weighted score from 0 to 100, kept up to date by the services when scores change.
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    is_complete = models.BooleanField(_("every criterion scored"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "juror"]
        constraints = [
            models.UniqueConstraint(fields=["application", "juror"], name="review_unique_juror")
        ]

    def __str__(self):
        return f"{self.juror} · {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    """The outcome of an application: pending until staff release the batch."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    released_at = models.DateTimeField(
        _("released"), null=True, blank=True, help_text=_("Empty: pending, not told yet.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application"]

    def __str__(self):
        return f"{self.application} · {self.get_outcome_display()}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class DecisionChange(models.Model):
    """The history of a decision: who changed it, when, from what to what."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="history")
    from_outcome = models.CharField(_("from"), max_length=20, blank=True)
    to_outcome = models.CharField(_("to"), max_length=20)
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("decision change")
        verbose_name_plural = _("decision changes")
        ordering = ["decision", "changed_at", "pk"]

    def __str__(self):
        return f"{self.from_outcome or '–'} → {self.to_outcome}"


class LetterTemplate(models.Model):
    """The letter for one outcome in one language, with {placeholders}."""

    PLACEHOLDERS = ("name", "edition", "outcome", "score", "median", "comments", "profile_url")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_templates")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Decision.Outcome.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {name}, {edition}, {outcome}, {score}, {median}, {comments}, "
            "{profile_url}."
        ),
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["call", "outcome", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "outcome", "language"], name="letter_template_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.language})"


class Letter(models.Model):
    """A decision letter in the outbox: staff review it before it is sent."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.subject


# Kunst rett vest, part 2: exhibitions, works and open studios ---------------------------

# Norway's mainland, roughly: a typed coordinate outside this box is a typo.
